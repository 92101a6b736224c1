"""Renditions to readers: the stored file when it is there, else made now (the on-demand
fallback for one the background task has not reached), always with far-future caching: a
rendition's address never changes meaning (renditions.py)."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect
from django.views.decorators.http import require_GET

from . import conf, pictures, renditions
from .models import FormerAddress, Image

FOREVER = "public, max-age=31536000, immutable"


@require_GET
def rendition(request, sha256: str, name: str):
    spec = renditions.Spec.parse(name)
    image = Image.objects.filter(sha256=sha256).first() if spec else None
    if image is None or not renditions.allowed(image, spec):
        raise Http404("Такого варіанта фото немає.")
    try:
        stored = renditions.ensure(image, spec)
        handle = default_storage.open(stored, "rb")
    except OSError as error:
        raise Http404("Фото немає у сховищі.") from error
    response = FileResponse(handle, content_type=conf.FORMATS[spec.fmt])
    response["Cache-Control"] = FOREVER
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def former(request, path: str):
    """An old WordPress upload's address: 301 to the library image it became (largest JPEG)."""
    moved = FormerAddress.objects.select_related("image").filter(path=request.path).first()
    if moved is None:
        raise Http404("Такого фото на сайті немає.")
    return HttpResponsePermanentRedirect(pictures.largest(moved.image)[0])
