from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelatedConfig(AppConfig):
    name = "shpalta.related"
    verbose_name = _("Більше подібного")
