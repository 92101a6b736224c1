"""The story's Telegram state in the article form, and the «Не публікувати в Telegram» box
(a form field, not an inline: the article form keeps posting without a formset's fields).

Like popular/admin.py, this registers the Article admin again: it extends whichever class is
registered now (news' ArticleAdmin with popular's view columns), so every app's additions stay.
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shpalta.news.models import Article

from . import conf, posting
from .models import TelegramOptOut, TelegramPost
from .tasks import post_story


def post_link(post: TelegramPost) -> str:
    """t.me/<channel>/<id> for a public channel (@name), t.me/c/<id>/<id> for a private one."""
    chat = post.chat_id
    if chat.startswith("@"):
        return f"https://t.me/{chat[1:]}/{post.message_id}"
    return f"https://t.me/c/{chat.removeprefix('-100')}/{post.message_id}"


def status_of(article: Article):
    """Whether, when and where the story went to the channel, or why it did not."""
    post = TelegramPost.objects.filter(article_id=article.pk).first() if article.pk else None
    if post is None:
        return _("Не надсилалася") if conf.enabled() else _("Telegram не налаштовано")
    if post.state == TelegramPost.State.POSTED and post.message_id:
        when = date_format(timezone.localtime(post.posted_at), "j E Y, H:i")
        return format_html(
            '{} {} — <a href="{}" target="_blank" rel="noopener">{}</a>{}',
            _("Опубліковано"),
            when,
            post_link(post),
            _("допис у каналі"),
            format_html('<br><span class="errornote">{}</span>', post.error) if post.error else "",
        )
    if post.error:
        return format_html(
            '{}: <span class="errornote">{}</span>', post.get_state_display(), post.error
        )
    return post.get_state_display()


def with_opt_out(form_class):
    """The article form with «Не публікувати в Telegram», kept in TelegramOptOut."""

    class ArticleTelegramForm(form_class):
        telegram_skip = forms.BooleanField(
            label=_("Не публікувати в Telegram"),
            required=False,
            help_text=_("Стаття не піде в Telegram-канал, навіть коли її опублікують."),
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.pk:
                self.fields["telegram_skip"].initial = TelegramOptOut.objects.filter(
                    article_id=self.instance.pk, skip=True
                ).exists()

    return ArticleTelegramForm


def extend(base: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """The registered Article admin with the Telegram inline, state and retry action."""

    class ArticleWithTelegramAdmin(base):
        form = with_opt_out(base.form)
        readonly_fields = [*base.readonly_fields, "telegram_status"]
        fieldsets = [
            *base.fieldsets,
            (_("Telegram"), {"fields": ["telegram_skip", "telegram_status"]}),
        ]
        actions = [*base.actions, "telegram_retry"]

        def save_related(self, request, form, formsets, change):
            super().save_related(request, form, formsets, change)
            skip = form.cleaned_data.get("telegram_skip", False)
            article = form.instance
            if skip or TelegramOptOut.objects.filter(article=article).exists():
                TelegramOptOut.objects.update_or_create(article=article, defaults={"skip": skip})

        @admin.display(description=_("Допис у Telegram"))
        def telegram_status(self, obj):
            return status_of(obj)

        @admin.action(description=_("Надіслати в Telegram ще раз"))
        def telegram_retry(self, request, queryset):
            ids = list(queryset.values_list("pk", flat=True))
            count = posting.retry(ids)
            for article_id in ids:
                post_story.enqueue(article_id)
            message = ngettext(
                "Повторне надсилання в Telegram: %(n)s стаття",
                "Повторне надсилання в Telegram: %(n)s статей",
                count,
            ) % {"n": count}
            self.message_user(request, message, messages.SUCCESS)

    return ArticleWithTelegramAdmin


registered = type(admin.site._registry[Article])
admin.site.unregister(Article)
admin.site.register(Article, extend(registered))
