"""The newsroom's four roles as groups with their permissions (shpalta.newsroom.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from shpalta.newsroom.roles import ROLES


def make_permissions(apps):
    """Permissions are made after migrate; the roles need them now, on a fresh database too."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    make_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        if perms is None:
            group.permissions.set(Permission.objects.all())
            continue
        wanted = [perm.split(".") for perm in perms]
        found = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        group.permissions.set(found)


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
