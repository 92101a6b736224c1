"""The whole site mounted under /uk/, for `@pytest.mark.urls("tests.prefixed_urls")`: a path
typed by hand ("/feed/") still points at the root, one built from its URL name moves along."""

from django.urls import include, path

handler404 = "shpalta.news.views.page_not_found"
handler500 = "shpalta.news.views.server_error"
urlpatterns = [path("uk/", include("shpalta.urls"))]
