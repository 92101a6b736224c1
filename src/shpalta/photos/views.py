"""Renditions to readers: the stored file when it is there, else made now (the on-demand
fallback for one the background task has not reached), always with far-future caching: a
rendition's address never changes meaning (renditions.py)."""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect, JsonResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import conf, inline, library, pictures, renditions, safety
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


@require_POST
def editor_upload(request):
    """A photo uploaded from the article's text editor (static/photos/editor_upload.js): kept
    in the library through library.add (verified, capped, stripped, one image per file) and
    answered with the address the editor inserts, the same reference inline.link() gives.
    Reached only through the admin (ImageAdmin.get_urls: staff, CSRF); adding photos is a
    permission of its own."""
    if not request.user.has_perm("photos.add_image"):
        return _refused(_("Вам не дозволено додавати фото до бібліотеки."), 403)
    upload = request.FILES.get("file")
    if upload is None or not upload.size:
        return _refused(_("Виберіть файл фото."))
    words = {
        name: " ".join(request.POST.get(name, "").split())[: Image._meta.get_field(name).max_length]
        for name in ("alt", "caption", "credit")
    }
    if not words["alt"]:
        return _refused(
            _(
                "Додайте опис для незрячих (alt): що на фото, одним реченням. "
                "Без нього фото не вставити."
            )
        )
    try:
        safety.check_size(upload.size)
        image, created = library.add(upload.read(conf.max_bytes() + 1), upload.name, **words)
    except ValidationError as error:
        return _refused(" ".join(error.messages))
    if not created:  # already in the library: its words stay, blanks are filled in
        library.fill_blanks(image, **words)
    link = inline.link(image)
    return JsonResponse(
        {
            "src": link,
            "alt": image.alt,
            "caption": image.caption,
            "credit": image.credit,
            "created": created,
            "html": format_html(
                '<figure><img src="{}" alt="{}">{}</figure>',
                link,
                image.alt,
                format_html("<figcaption>{}</figcaption>", image.caption) if image.caption else "",
            ),
        },
        status=201 if created else 200,
    )


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)
