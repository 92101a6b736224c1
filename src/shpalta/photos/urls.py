from django.urls import re_path

from . import views

app_name = "photos"
urlpatterns = [
    re_path(
        r"^(?P<sha256>[0-9a-f]{64})/(?P<name>[a-z0-9x.-]{1,40})$",
        views.rendition,
        name="rendition",
    ),
]
