"""The newsroom's four roles as groups with their permissions (shpalta.newsroom.roles)."""

from django.db import migrations

from shpalta.newsroom.roles import ROLES, make_permissions, sync_groups


def create_roles(apps, schema_editor):
    make_permissions(apps)
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("news", "0003_seo_fields"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
