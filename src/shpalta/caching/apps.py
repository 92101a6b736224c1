from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    name = "shpalta.caching"
    verbose_name = _("Кешування сторінок")
