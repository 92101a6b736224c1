"""Root URLs: each app brings its own.

The reader pages come first: a story is the most requested address, and Django tries the
patterns in order (every include before it costs a match). None of them catches another's
address: each is anchored at both ends under its own prefix (`novyny/<slug>/`, `rubryka/…/`),
and the home page is the empty path alone; tests/project/test_url_order.py holds that."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from shpalta.ops.views import favicon, healthz
from shpalta.photos.views import former as former_upload

handler404 = "shpalta.news.views.page_not_found"
handler500 = "shpalta.news.views.server_error"

urlpatterns = [
    path("", include("shpalta.news.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("api/", include("shpalta.api.urls")),
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    path("img/", include("shpalta.photos.urls")),
    path("wp-content/uploads/<path:path>", former_upload),  # imported sites' old images: 301
    path("search/", include("shpalta.search.urls")),
    path("newsletter/", include("shpalta.newsletter.urls")),
    path("ads/", include("shpalta.ads.urls")),
    path("", include("shpalta.feeds.urls")),
]
