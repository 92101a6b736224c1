"""Every role may upload and describe photos in the library (shpalta.photos); Випусковий
редактор (and Адміністратор) may also delete them."""

from django.db import migrations

from shpalta.newsroom.roles import make_permissions, sync_groups


def sync(apps, schema_editor):
    make_permissions(apps)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0006_front_page_role"),
        ("photos", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
