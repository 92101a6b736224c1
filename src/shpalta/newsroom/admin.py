"""The article admin with the newsroom's roles and review: news' ArticleAdmin, registered again.

Django imports each app's admin module in INSTALLED_APPS order, so news has registered its
ArticleAdmin by the time this module extends it (and popular extends this one in turn).
"""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shpalta.news.admin import ArticleAdmin
from shpalta.news.models import Article

from . import workflow
from .forms import NewsroomArticleForm
from .models import Transition, Workflow
from .roles import may_publish, own_filter, sees_everyone

PUBLIC_FIELDS = ["status", "published_at"]


class ReviewFilter(admin.SimpleListFilter):
    """The «На перевірці» queue and the stories sent back, each with its count."""

    title = gettext_lazy("редакційний стан")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        stories = model_admin.get_queryset(request).drafts()
        return [
            (state, f"{label} ({stories.filter(workflow__state=state).count()})")
            for state, label in [
                (Workflow.State.REVIEW, _("на перевірці")),
                (Workflow.State.RETURNED, _("повернуто")),
            ]
        ]

    def queryset(self, request, queryset):
        if self.value() in {Workflow.State.REVIEW, Workflow.State.RETURNED}:
            return queryset.drafts().filter(workflow__state=self.value())
        return queryset


def when(moment) -> str:
    """«2 грудня 2026, 14:05» in Kyiv time, as the site writes dates."""
    return date_format(timezone.localtime(moment), "j E Y, H:i")


class NewsroomArticleAdmin(ArticleAdmin):
    form = NewsroomArticleForm
    change_form_template = "newsroom/change_form.html"
    list_filter = [ReviewFilter, *ArticleAdmin.list_filter]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        stories = super().get_queryset(request).select_related("workflow")
        if sees_everyone(request.user):
            return stories
        return stories.filter(pk__in=Article.objects.filter(own_filter(request.user)).values("pk"))

    @admin.display(description=gettext_lazy("стан"), ordering="status")
    def state(self, obj):
        return workflow.state_label(obj)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return super().has_view_permission(request)
        user = request.user
        return user.has_perm("news.view_article", obj) or user.has_perm("news.change_article", obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return request.user.has_perm("news.change_article", obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return request.user.has_perm("news.delete_article", obj)

    def has_publish_permission(self, request):
        """Publishing, scheduling and unpublishing: editors, never authors."""
        return may_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if may_publish(request.user) else [*fields, *PUBLIC_FIELDS]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        was_released = change and form.initial.get("status") == Article.Status.PUBLISHED
        super().save_model(request, obj, form, change)
        if not change:
            workflow.started(obj, request.user)
        if obj.is_released and not was_released:
            workflow.released(obj, request.user)
        elif was_released and not obj.is_released:
            workflow.withdrawn(obj, request.user)
        self._review_step(request, obj, form.cleaned_data)

    def _review_step(self, request, obj, data):
        action = data.get("workflow_action")
        if action == "submit":
            workflow.submit(obj, request.user)
            self.message_user(request, _("Статтю «%s» надіслано на перевірку.") % obj.title)
        elif action == "return":
            workflow.send_back(obj, request.user, data["return_comment"].strip())
            self.message_user(request, _("Статтю «%s» повернуто авторові.") % obj.title)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["newsroom"] = self._newsroom_context(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _newsroom_context(self, request, obj) -> dict:
        flow = Workflow.objects.filter(article=obj).first() if obj and obj.pk else None
        unreleased = obj is None or not obj.is_released
        in_review = bool(flow and flow.state == Workflow.State.REVIEW and unreleased)
        steps = obj.transitions.select_related("actor") if obj and obj.pk else []
        return {
            "state": workflow.state_label(obj) if obj and obj.pk else _("Нова чернетка"),
            "returned": flow and flow.state == Workflow.State.RETURNED and unreleased,
            "note": flow.note if flow else "",
            "steps": [self._step(step) for step in steps[:20]],
            "can_submit": unreleased and not in_review,
            "can_return": in_review and may_publish(request.user),
        }

    @staticmethod
    def _step(step: Transition) -> dict:
        actor = step.actor.get_full_name() or step.actor.get_username() if step.actor else "—"
        return {
            "action": step.get_action_display(),
            "who": actor,
            "when": when(step.at),
            "comment": step.comment,
        }

    def changelist_view(self, request, extra_context=None):
        waiting = workflow.in_review().filter(pk__in=self.get_queryset(request).values("pk"))
        count = waiting.count()
        subtitle = ngettext("На перевірці %(n)s стаття", "На перевірці %(n)s статей", count) % {
            "n": count
        }
        return super().changelist_view(request, (extra_context or {}) | {"subtitle": subtitle})

    @admin.action(description=gettext_lazy("Опублікувати вибрані"), permissions=["publish"])
    def publish(self, request, queryset):
        done = [article for article in queryset if article.publish()]
        for article in done:
            workflow.released(article, request.user)
        message = ngettext("Опубліковано %(n)s статтю", "Опубліковано %(n)s статей", len(done)) % {
            "n": len(done)
        }
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Зняти з публікації вибрані"), permissions=["publish"])
    def unpublish(self, request, queryset):
        done = [article for article in queryset if article.unpublish()]
        for article in done:
            workflow.withdrawn(article, request.user)
        message = ngettext(
            "Знято з публікації %(n)s статтю", "Знято з публікації %(n)s статей", len(done)
        ) % {"n": len(done)}
        self.message_user(request, message, messages.SUCCESS)


admin.site.unregister(Article)
admin.site.register(Article, NewsroomArticleAdmin)
