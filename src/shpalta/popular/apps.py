from django.apps import AppConfig


class PopularConfig(AppConfig):
    name = "shpalta.popular"
