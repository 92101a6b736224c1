"""Adding to the library: one call for the admin, the importers and the demo.

The same file added twice is one image (its hash as uploaded); the renditions pages use are
made by the background task once the adding transaction commits.
"""

import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from . import safety, tasks
from .models import Image

log = logging.getLogger(__name__)


def add(data: bytes, name: str = "", warm: bool = True, **words) -> tuple[Image, bool]:
    """The library image of these bytes and whether it is new; a ValidationError in Ukrainian
    when they are not a photo that may be kept. `words`: alt, caption, credit, source (given
    only to a new image: an existing one keeps what editors wrote). `warm=False` leaves every
    rendition to be made on demand."""
    existing = Image.objects.filter(sha256=safety.content_hash(data)).first()
    if existing is not None:
        return existing, False
    cleaned = safety.clean(data)
    image = Image(sha256=cleaned.sha256, original_name=name[-255:], **words)
    image.file.save(f"{cleaned.sha256}.{cleaned.extension}", ContentFile(cleaned.content), False)
    image.width, image.height = cleaned.width, cleaned.height
    try:
        with transaction.atomic():
            image.save()
    except IntegrityError:  # added meanwhile by another request
        return Image.objects.get(sha256=cleaned.sha256), False
    if warm:
        queue_renditions(image)
    return image, True


def fill_blanks(image: Image, **words) -> None:
    """Give an image the words it lacks (alt, caption, credit): what editors wrote stays."""
    blank = [name for name, value in words.items() if value and not getattr(image, name)]
    for name in blank:
        setattr(image, name, words[name])
    if blank:
        image.save(update_fields=[*blank, "updated_at"])


def queue_renditions(image: Image) -> None:
    """The renditions pages use, made in the background after commit (at once without a
    worker); a page asking before they exist gets them made on demand."""
    image_id = image.pk
    transaction.on_commit(lambda: tasks.make_renditions.enqueue(image_id))
