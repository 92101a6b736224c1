"""The admin site in Ukrainian: every ModelAdmin registered on it says «Додати статтю»,
«Виберіть рубрику, щоб змінити», «Статтю «…» змінено» with the noun in the right case.

Installed as Django documents for a custom default site: an AdminConfig subclass with
`default_site`, listed in INSTALLED_APPS instead of "django.contrib.admin".
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.apps import TasksAppConfig

from .cases import accusative


class UkrainianPhrases:
    """Titles and messages that name the model, with its name in the accusative."""

    def _named(self, phrase: str) -> str:
        return phrase % {"name": accusative(self.opts.verbose_name)}

    def changelist_view(self, request, extra_context=None):
        if "_popup" in request.GET:
            title = self._named(_("Виберіть %(name)s"))
        elif self.has_change_permission(request):
            title = self._named(_("Виберіть %(name)s, щоб змінити"))
        else:
            title = self._named(_("Виберіть %(name)s для перегляду"))
        return super().changelist_view(request, {"title": title} | (extra_context or {}))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            title = self._named(_("Додати %(name)s"))
        else:
            obj = self.get_object(request, object_id)
            can_change = obj is not None and self.has_change_permission(request, obj)
            title = self._named(_("Змінити %(name)s") if can_change else _("Переглянути %(name)s"))
        context = {"title": title} | (extra_context or {})
        return super().changeform_view(request, object_id, form_url, context)

    def message_user(self, request, message, *args, **kwargs):
        """Django's messages start with the model's name (the catalogue puts it first, as in
        «Статтю «…» змінено»): that name goes into the accusative."""
        name = str(self.opts.verbose_name)
        text = str(message)
        if text.startswith(escape(name) + " «"):
            rest = text[len(escape(name)) :]
            head = escape(capfirst(accusative(name)))
            message = mark_safe(head + rest) if isinstance(message, SafeString) else head + rest  # noqa: S308
        super().message_user(request, message, *args, **kwargs)


def in_ukrainian(admin_class: type) -> type:
    if issubclass(admin_class, UkrainianPhrases):
        return admin_class
    attrs = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
    return type(admin_class.__name__, (UkrainianPhrases, admin_class), attrs)


class UkrainianAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(
            model_or_iterable, in_ukrainian(admin_class or admin.ModelAdmin), **options
        )


class UkrainianAdminConfig(AdminConfig):
    default_site = "shpalta.newsroom.site.UkrainianAdminSite"


class UkrainianTasksConfig(TasksAppConfig):
    """django-tasks-db's admin section under a Ukrainian name (only administrators see it)."""

    verbose_name = gettext_lazy("Фонові завдання")
