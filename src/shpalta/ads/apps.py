from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "shpalta.ads"
    verbose_name = _("Реклама")

    def ready(self):
        # An ad network's hosts join the CSP only when an administrator names them.
        from shpalta.news import stored
        from shpalta.ops import security

        from . import csp
        from .templatetags.ads import SCRIPT_ATTRIBUTE, story_slots

        security.register_sources(csp.network_sources)
        # A stored story page's slots show the same on every story they choose alike for.
        stored.key_part("ads", story_slots, carries=(SCRIPT_ATTRIBUTE,))
