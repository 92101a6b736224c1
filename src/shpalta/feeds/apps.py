from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "shpalta.feeds"

    def ready(self):
        from . import signals

        signals.connect()
