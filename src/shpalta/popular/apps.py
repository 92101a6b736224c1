from django.apps import AppConfig


class PopularConfig(AppConfig):
    name = "shpalta.popular"

    def ready(self):
        # A stored story page's «Популярне» is the same beside every story it does not list.
        from shpalta.news import stored

        from .templatetags.popular import beside_story

        stored.key_part("popular", beside_story)
