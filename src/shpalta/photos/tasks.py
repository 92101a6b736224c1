"""Background work of the photo library, through Django's Tasks API (`django-tasks`): the
embedded default runs it right after the adding transaction commits; `shpalta worker` runs it
from the database queue at scale."""

import logging

from django_tasks import task

from . import renditions
from .models import Image

log = logging.getLogger(__name__)


@task()
def make_renditions(image_id: int) -> int:
    """The renditions pages use for this image (after upload or a new focal point)."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return 0
    try:
        return renditions.warm(image)
    except OSError:
        log.exception("photos: renditions of image %s failed; pages make them on demand", image_id)
        return 0
