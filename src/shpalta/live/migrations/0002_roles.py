"""The newsroom's editors run live pages: Редактор and Випусковий редактор (and Адміністратор,
whose «every permission» was taken before these existed) get the live permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from shpalta.newsroom.roles import ADMINISTRATOR, CHIEF, EDITOR

EDITORS = [
    "add_livecoverage",
    "change_livecoverage",
    "view_livecoverage",
    "add_liveentry",
    "change_liveentry",
    "delete_liveentry",
    "view_liveentry",
    "add_breakingnews",
    "change_breakingnews",
    "delete_breakingnews",
    "view_breakingnews",
]
GRANTS = {EDITOR: EDITORS, CHIEF: [*EDITORS, "delete_livecoverage"], ADMINISTRATOR: None}


def grant(apps, schema_editor):
    config = apps.get_app_config("live")
    config.models_module = True  # permissions are made after migrate; the roles need them now
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    live = Permission.objects.filter(content_type__app_label="live")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            chosen = live if codenames is None else live.filter(codename__in=codenames)
            group.permissions.add(*chosen)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    live = Permission.objects.filter(content_type__app_label="live")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=list(GRANTS)):
        group.permissions.remove(*live)


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_initial"),
        ("newsroom", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
