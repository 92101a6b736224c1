from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "shpalta.live"
    verbose_name = _("Онлайн-трансляції")

    def ready(self):
        # A stored story page's live block is the same empty one on every story not covered.
        from shpalta.news import stored

        from .templatetags.live import not_covered

        stored.key_part("live", not_covered)
