from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "shpalta.related"
