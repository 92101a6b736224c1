"""The article admin with the newsroom's roles and review: news' ArticleAdmin, registered again.

Django imports each app's admin module in INSTALLED_APPS order, so news has registered its
ArticleAdmin by the time this module extends it (and popular extends this one in turn).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shpalta.news.admin import ArticleAdmin
from shpalta.news.models import Article

from . import autosave, locks, revisions, workflow
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
        autosave.discard(request.user, obj if change else None)
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
        return {
            "action": step.get_action_display(),
            "who": revisions.who(step.actor),
            "when": revisions.when(step.at),
            "comment": step.comment,
        }

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        revisions.remember_terms(form.instance)

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/revisions/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="news_article_compare",
            ),
            path(
                "autosave/<str:target>/",
                self.admin_site.admin_view(self.autosave_view),
                name="news_article_autosave",
            ),
            path(
                "autosave/<str:target>/discard/",
                self.admin_site.admin_view(self.autosave_discard_view),
                name="news_article_autosave_discard",
            ),
            path(
                "<path:object_id>/lock/<str:step>/",
                self.admin_site.admin_view(self.lock_view),
                name="news_article_lock",
            ),
            path(
                "<path:object_id>/revisions/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="news_article_restore",
            ),
        ]
        return own + super().get_urls()

    def _article_for(self, request, object_id, change=False):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        allowed = self.has_change_permission if change else self.has_view_permission
        if not allowed(request, article):
            raise PermissionDenied
        return article

    def _page(self, request, article, template, title, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": title,
            "can_restore": self.has_change_permission(request, article),
            **context,
        }
        return TemplateResponse(request, template, context)

    def _autosave_target(self, request, target):
        """The story an autosave belongs to: None for the add form, else one this editor may
        change."""
        if target == "new":
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        return self._article_for(request, target, change=True)

    def autosave_view(self, request, target):
        """The open form's text, kept apart from the story (static/newsroom/autosave.js)."""
        if request.method != "POST":
            raise Http404
        article = self._autosave_target(request, target)
        if not autosave.store(request.user, article, request.POST):
            return JsonResponse({"saved": False}, status=413)
        return JsonResponse({"saved": True})

    def autosave_discard_view(self, request, target):
        if request.method != "POST":
            raise Http404
        article = self._autosave_target(request, target)
        autosave.discard(request.user, article)
        url = "admin:news_article_add" if article is None else "admin:news_article_change"
        return redirect(reverse(url, args=[] if article is None else [article.pk]))

    def get_object(self, request, object_id, from_field=None):
        """With ?autosave=1 the form opens with the editor's autosaved text in place."""
        article = super().get_object(request, object_id, from_field)
        if article is None or request.method != "GET" or request.GET.get("autosave") != "1":
            return article
        offered = autosave.pending(request.user, article)
        return autosave.applied(article, offered) if offered else article

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.pop("autosave", None)
        offered = autosave.pending(request.user, None) if request.GET.get("autosave") else None
        return initial | (offered.data if offered else {})

    def _autosave_context(self, request, article) -> dict:
        target = "new" if article is None else str(article.pk)
        offered = None if request.GET.get("autosave") else autosave.pending(request.user, article)
        return {
            "url": reverse("admin:news_article_autosave", args=[target]),
            "discard": reverse("admin:news_article_autosave_discard", args=[target]),
            "interval": autosave.INTERVAL_SECONDS,
            "offered": offered and revisions.when(offered.saved_at),
        }

    def add_view(self, request, form_url="", extra_context=None):
        context = {"newsroom_autosave": self._autosave_context(request, None)}
        return super().add_view(request, form_url, context | (extra_context or {}))

    def lock_view(self, request, object_id, step):
        """The form's heartbeat, its release on leaving, and an explicit take-over."""
        if request.method != "POST" or step not in {"beat", "release", "take"}:
            raise Http404
        article = self._article_for(request, object_id, change=True)
        if step == "release":
            locks.release(article, request.user)
            return JsonResponse({"held": False})
        if step == "take":
            locks.acquire(article, request.user, take_over=True)
            return redirect(reverse("admin:news_article_change", args=[article.pk]))
        other = locks.beat(article, request.user)
        if other is None:
            return JsonResponse({"held": True})
        return JsonResponse({"held": False, **self._lock_holder(other)})

    @staticmethod
    def _lock_holder(lock) -> dict:
        return {
            "holder": revisions.who(lock.holder),
            "since": timezone.localtime(lock.since).strftime("%H:%M"),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Opening a story to edit takes its lock, unless someone else holds it."""
        article = self.get_object(request, unquote(object_id))
        lock = None
        if article is not None and self.has_change_permission(request, article):
            lock = locks.acquire(article, request.user)
        context = {"newsroom_lock": self._lock_context(request, article, lock)}
        if lock is not None:
            context["newsroom_autosave"] = self._autosave_context(request, article)
        return super().change_view(request, object_id, form_url, context | (extra_context or {}))

    def _lock_context(self, request, article, lock) -> dict | None:
        if lock is None:
            return None
        base = reverse("admin:news_article_lock", args=[article.pk, "beat"]).removesuffix("beat/")
        mine = lock.holder_id == request.user.pk
        return {
            "mine": mine,
            "beat": base + "beat/",
            "release": base + "release/",
            "take": base + "take/",
            "heartbeat": locks.HEARTBEAT_SECONDS,
            **({} if mine else self._lock_holder(lock)),
        }

    def history_view(self, request, object_id, extra_context=None):
        """The revisions in Ukrainian: local time, who, what changed; pick two to compare."""
        article = self._article_for(request, object_id)
        title = _("Історія змін: «%s»") % article.title
        items = revisions.listing(article)
        return self._page(request, article, "newsroom/history.html", title, revisions=items)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple_history's revert form is replaced by the comparison with the current text."""
        article = self._article_for(request, object_id)
        newest = article.history.order_by("-history_id").first()
        url = reverse("admin:news_article_compare", args=[article.pk])
        return redirect(f"{url}?old={version_id}&new={newest.history_id}")

    def compare_view(self, request, object_id):
        article = self._article_for(request, object_id)
        old, new = (self._record(article, request.GET.get(key)) for key in ("old", "new"))
        if old.history_date > new.history_date:
            old, new = new, old
        rows = revisions.compare(revisions.readable(old), revisions.readable(new))
        sides = [self._side(old), self._side(new)]
        title = _("Порівняння версій: «%s»") % article.title
        return self._page(request, article, "newsroom/compare.html", title, rows=rows, sides=sides)

    @staticmethod
    def _record(article, history_id):
        if not str(history_id or "").isdigit():
            raise Http404
        record = article.history.filter(history_id=int(history_id)).first()
        if record is None:
            raise Http404
        return record

    @staticmethod
    def _side(record) -> dict:
        return {
            "id": record.history_id,
            "when": revisions.when(record.history_date),
            "who": revisions.who(record.history_user),
        }

    def restore_view(self, request, object_id, history_id):
        article = self._article_for(request, object_id, change=True)
        if request.method != "POST":
            return redirect(reverse("admin:news_article_history", args=[article.pk]))
        record = self._record(article, str(history_id))
        revisions.restore(article, record, request.user)
        message = _("Відновлено версію від %(when)s; збережено як нову версію.")
        self.message_user(request, message % {"when": revisions.when(record.history_date)})
        return redirect(reverse("admin:news_article_change", args=[article.pk]))

    def changelist_view(self, request, extra_context=None):
        waiting = workflow.in_review().filter(pk__in=self.get_queryset(request).values("pk"))
        count = waiting.count()
        subtitle = ngettext("На перевірці %(n)s стаття", "На перевірці %(n)s статей", count) % {
            "n": count
        }
        return super().changelist_view(request, (extra_context or {}) | {"subtitle": subtitle})

    @admin.action(description=gettext_lazy("Опублікувати вибрані"), permissions=["publish"])
    def publish(self, request, queryset):
        ready = []
        for article in queryset.select_related("cover"):
            if article.missing_alt():  # the cover's alt text first (news.Article.missing_alt)
                reason = _("«%(title)s» не опубліковано: %(why)s")
                self.message_user(
                    request,
                    reason % {"title": article, "why": article.missing_alt()},
                    messages.ERROR,
                )
            else:
                ready.append(article)
        done = [article for article in ready if article.publish()]
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
