from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "shpalta.ads"
    verbose_name = _("Реклама")

    def ready(self):
        # An ad network's hosts join the CSP only when an administrator names them.
        from shpalta.ops import security

        from . import csp

        security.register_sources(csp.network_sources)
