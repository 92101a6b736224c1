from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "shpalta.live"
    verbose_name = _("Онлайн-трансляції")

    def ready(self):
        """The demo's live story joins `shpalta load_demo` (news sends, news imports nothing)."""
        from shpalta.news import demo as news_demo

        from . import demo

        news_demo.loaded.connect(demo.load, dispatch_uid="live-demo")
