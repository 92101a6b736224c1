from django.apps import AppConfig


class TextConfig(AppConfig):
    name = "shpalta.text"
    verbose_name = "Text toolkit"
