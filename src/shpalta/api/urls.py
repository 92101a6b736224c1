"""The API's URLs. Every path under /api/ answers JSON: clients parse the body whatever the
status, so a path the API lacks answers its error shape rather than the site's HTML 404 page."""

from django.http import JsonResponse
from django.urls import path, re_path, reverse

from .api import api
from .errors import NOT_FOUND


def _not_found(detail: str) -> JsonResponse:
    """The API's own 404 answer: UTF-8 JSON, as the API's renderer writes it."""
    return JsonResponse(
        {"detail": detail},
        status=404,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def root(request):
    """Shadows django-ninja's own root view (an HTML 404), whose URL name it still reverses."""
    docs = reverse("api:openapi-view")
    return _not_found(f"{NOT_FOUND} The API is described at {docs}")


def unknown_path(request, rest):
    return _not_found(NOT_FOUND)


urlpatterns = [
    path("", root),
    path("", api.urls),
    re_path(r"^(?P<rest>.+)$", unknown_path),  # last: only what no operation matched
]
