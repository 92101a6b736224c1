from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "shpalta.search"
    verbose_name = "Search"
