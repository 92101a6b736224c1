"""The live permissions are now in the newsroom's role table (shpalta.newsroom.roles): sync the
groups from it, as the newsroom's own migrations do, so a later sync keeps them."""

from django.db import migrations

from shpalta.newsroom.roles import make_permissions, sync_groups


def sync(apps, schema_editor):
    make_permissions(apps)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0002_roles"),
        ("newsroom", "0006_front_page_role"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
