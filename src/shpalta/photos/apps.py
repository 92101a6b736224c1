from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    name = "shpalta.photos"
    verbose_name = _("Фото")
    default_auto_field = "django.db.models.BigAutoField"
