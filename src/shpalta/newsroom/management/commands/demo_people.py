"""`shpalta demo_people`: one account per newsroom role for the demo, with a known password.

`make run` and `make demo` call it; it refuses on a site that answers to public host names,
where a published password would be an open door.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from shpalta.newsroom.roles import ADMINISTRATOR, AUTHOR, CHIEF, EDITOR, member

PASSWORD = "shpalta-demo"  # noqa: S105  (published in the README, local sites only)
PEOPLE = [
    ("avtor", AUTHOR, "Оксана", "Авторка"),
    ("redaktor", EDITOR, "Тарас", "Редактор"),
    ("vypuskovyi", CHIEF, "Ірина", "Випускова"),
    ("admin", ADMINISTRATOR, "Андрій", "Адмін"),
]


class Command(BaseCommand):
    help = "Створює демонстраційні облікові записи редакції (по одному на роль)."

    def handle(self, *args, **options):
        if settings.PUBLIC_HOSTS:
            raise CommandError("Демонстраційні облікові записи — лише для локального сайту.")
        users = get_user_model().objects
        for username, role, first, last in PEOPLE:
            if not users.filter(username=username).exists():
                member(
                    username,
                    role,
                    password=PASSWORD,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@redakciya.localhost",
                )
            self.stdout.write(f"{role}: {username} / {PASSWORD}")
