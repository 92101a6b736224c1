"""Subscribers, issues (an editor's one-off issue is written and sent from here), and the
«Вибір редакції» action on the article list, added to whichever Article admin is registered."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shpalta.news.models import Article

from . import conf
from .models import Delivery, Issue, Pick, Subscriber
from .tasks import send_issue


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    readonly_fields = ["created_at", "confirmed_at", "unsubscribed_at"]


@admin.register(Pick)
class PickAdmin(admin.ModelAdmin):
    list_display = ["article", "day"]
    list_filter = ["day"]
    autocomplete_fields = ["article"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "day", "status", "progress", "finished_at"]
    list_filter = ["kind", "status"]
    fields = ["subject", "body", "kind", "day", "status", "progress", "finished_at"]
    readonly_fields = ["kind", "day", "status", "progress", "finished_at"]
    actions = ["send_now"]

    def get_queryset(self, request):
        sent = Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT))
        return super().get_queryset(request).annotate(sent=sent, enrolled=Count("deliveries"))

    @admin.display(description=_("надіслано"))
    def progress(self, obj):
        return f"{getattr(obj, 'sent', 0)} / {getattr(obj, 'enrolled', 0)}"

    @admin.action(description=_("Надіслати підписникам"))
    def send_now(self, request, queryset):
        if not conf.can_send():
            self.message_user(
                request, _("Пошту не налаштовано: задайте SHPALTA_EMAIL_URL."), messages.ERROR
            )
            return
        drafts = list(queryset.filter(status=Issue.Status.DRAFT).values_list("pk", flat=True))
        for issue_id in drafts:
            send_issue.enqueue(issue_id)
        message = ngettext(
            "Надсилається %(n)s випуск", "Надсилається %(n)s випусків", len(drafts)
        ) % {"n": len(drafts)}
        self.message_user(request, message, messages.SUCCESS)


def extend(base: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """The registered Article admin with the «add to today's digest» action."""

    class ArticleWithPicksAdmin(base):
        actions = [*base.actions, "pick_for_digest"]

        @admin.action(description=_("Додати до вибору редакції в сьогоднішній розсилці"))
        def pick_for_digest(self, request, queryset):
            day = timezone.localdate()
            picks = [Pick(article=article, day=day) for article in queryset.published()]
            Pick.objects.bulk_create(picks, ignore_conflicts=True)
            message = ngettext(
                "До розсилки додано %(n)s статтю", "До розсилки додано %(n)s статей", len(picks)
            ) % {"n": len(picks)}
            self.message_user(request, message, messages.SUCCESS)

    return ArticleWithPicksAdmin


registered = type(admin.site._registry[Article])
admin.site.unregister(Article)
admin.site.register(Article, extend(registered))
