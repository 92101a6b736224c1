"""One row per story sent to the channel, and the editors' per-story opt-out."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shpalta.news.models import Article


class TelegramPost(models.Model):
    """The story's one channel post: claimed before sending, so two workers never both send."""

    class State(models.TextChoices):
        WAITING = "waiting", _("очікує")
        SENDING = "sending", _("надсилається")
        POSTED = "posted", _("опубліковано")
        FAILED = "failed", _("помилка")
        DELETED = "deleted", _("видалено")

    article = models.OneToOneField(
        Article, verbose_name=_("стаття"), on_delete=models.CASCADE, related_name="telegram_post"
    )
    state = models.CharField(_("стан"), max_length=10, choices=State.choices, default=State.WAITING)
    chat_id = models.CharField(_("канал"), max_length=100, blank=True)
    message_id = models.BigIntegerField(_("номер повідомлення"), null=True, blank=True)
    with_photo = models.BooleanField(_("з фото"), default=False)
    sent_title = models.TextField(_("надісланий заголовок"), blank=True)
    sent_lead = models.TextField(_("надісланий лід"), blank=True)
    posted_at = models.DateTimeField(_("опубліковано в Telegram"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("зайнято до"), null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    error = models.TextField(_("помилка"), blank=True)

    class Meta:
        verbose_name = _("допис у Telegram")
        verbose_name_plural = _("дописи в Telegram")

    def __str__(self):
        return f"{self.article_id}: {self.get_state_display()}"


class TelegramOptOut(models.Model):
    """«Не публікувати в Telegram»: a row with `skip` set keeps the story off the channel."""

    article = models.OneToOneField(
        Article, verbose_name=_("стаття"), on_delete=models.CASCADE, related_name="telegram_opt"
    )
    skip = models.BooleanField(_("Не публікувати в Telegram"), default=False)

    class Meta:
        verbose_name = _("Telegram")
        verbose_name_plural = _("Telegram")

    def __str__(self):
        return str(self.article_id)
