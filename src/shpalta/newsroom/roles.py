"""The four newsroom roles as Django groups, and the few questions every path asks of them.

The groups and their permissions are made by a data migration (0002_roles); what a role may
do to one article is answered by `backends.NewsroomBackend` through `user.has_perm(perm, obj)`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.db.models import Q

AUTHOR = "Автор"
EDITOR = "Редактор"
CHIEF = "Випусковий редактор"
ADMINISTRATOR = "Адміністратор"

PUBLISH = "newsroom.publish_article"
EDIT_OTHERS = "newsroom.edit_others_article"

_WRITER = [
    "news.add_article",
    "news.change_article",
    "news.view_article",
    "news.view_category",
    "news.view_tag",
    "news.add_tag",
    "news.view_author",
    # the photo library (shpalta.photos): upload, describe, set the focal point, choose
    "photos.add_image",
    "photos.change_image",
    "photos.view_image",
]
_EDITOR = [
    *_WRITER,
    "news.delete_article",
    "news.change_tag",
    "news.add_author",
    "news.change_author",
    "news.view_oldslug",
    "newsroom.view_workflow",
    "newsroom.view_transition",
    PUBLISH,
    EDIT_OTHERS,
    # live coverage (shpalta.live): run a live page, post, edit and delete its entries, and
    # set the «Терміново» strip
    "live.add_livecoverage",
    "live.change_livecoverage",
    "live.view_livecoverage",
    "live.add_liveentry",
    "live.change_liveentry",
    "live.delete_liveentry",
    "live.view_liveentry",
    "live.add_breakingnews",
    "live.change_breakingnews",
    "live.delete_breakingnews",
    "live.view_breakingnews",
]
_CHIEF = [
    *_EDITOR,
    "live.delete_livecoverage",
    "photos.delete_image",
    "news.add_category",
    "news.change_category",
    "news.delete_category",
    "news.view_frontpageslot",
    "news.add_frontpageslot",
    "news.change_frontpageslot",
    "news.delete_frontpageslot",
]

# Role → its permissions; None is every permission the site has.
ROLES: dict[str, list[str] | None] = {
    AUTHOR: _WRITER,
    EDITOR: _EDITOR,
    CHIEF: _CHIEF,
    ADMINISTRATOR: None,
}


def make_permissions(apps) -> None:
    """Django makes permissions after migrate; the roles need them during it, on a fresh
    database too."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def sync_groups(Group, Permission) -> None:  # noqa: N803  (the models a migration passes)
    """Give each role's group exactly its permissions; a permission whose model does not
    exist yet is left for a later migration to add."""
    for name, perms in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        if perms is None:
            group.permissions.set(Permission.objects.all())
            continue
        found = [
            Permission.objects.filter(content_type__app_label=app, codename=codename).first()
            for app, codename in (perm.split(".") for perm in perms)
        ]
        group.permissions.set([perm for perm in found if perm is not None])


def may_publish(user) -> bool:
    return user.has_perm(PUBLISH)


def sees_everyone(user) -> bool:
    """Editors see every story; an author only their own."""
    return user.has_perm(EDIT_OTHERS)


def own_filter(user) -> Q:
    """An author's stories: the ones they started, and the ones signed with their name."""
    return Q(workflow__owner=user) | Q(authors__user=user)


def owns(user, article) -> bool:
    if not article.pk:
        return True
    return type(article).objects.filter(own_filter(user), pk=article.pk).exists()


def member(username: str, role: str, *, password: str | None = None, **fields):
    """A staff account in one role: for the demo's people and the tests' (the admin needs
    is_staff; the role's group gives the rest). No password means it cannot log in."""
    user = get_user_model().objects.create_user(
        username, password=password, is_staff=True, **fields
    )
    user.groups.add(Group.objects.get(name=role))
    if role == ADMINISTRATOR:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return user
