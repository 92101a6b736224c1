"""Випусковий редактор (and Адміністратор) get the home page's pinned places."""

from django.db import migrations

from shpalta.newsroom.roles import make_permissions, sync_groups


def sync(apps, schema_editor):
    make_permissions(apps)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0005_autosave"),
        ("news", "0004_frontpageslot"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
