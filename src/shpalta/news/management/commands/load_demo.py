"""`shpalta load_demo`: fill a fresh site with the demo articles; `make run` calls it each start."""

from django.core.management.base import BaseCommand

from shpalta.news import demo
from shpalta.news.signals import demo_loaded


class Command(BaseCommand):
    help = "Завантажує демонстраційні статті; повторний запуск нічого не змінює."

    def handle(self, *args, **options):
        result = demo.load()
        demo_loaded.send(sender=self.__class__)
        self.stdout.write(f"демонстраційні статті: додано {result.created}, уже були {result.kept}")
