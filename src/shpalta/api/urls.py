"""The API's URLs. Every path under /api/ answers JSON: clients parse the body whatever the
status, so a path the API lacks answers its error shape rather than the site's HTML 404 page."""

from django.http import JsonResponse
from django.urls import path, re_path, reverse

from .api import api
from .errors import NOT_FOUND


def root(request):
    """Shadows django-ninja's own root view (an HTML 404), whose URL name it still reverses."""
    docs = reverse("api:openapi-view")
    return JsonResponse({"detail": f"{NOT_FOUND} The API is described at {docs}"}, status=404)


def unknown_path(request, rest):
    return JsonResponse({"detail": NOT_FOUND}, status=404)


urlpatterns = [
    path("", root),
    path("", api.urls),
    re_path(r"^(?P<rest>.+)$", unknown_path),  # last: only what no operation matched
]
