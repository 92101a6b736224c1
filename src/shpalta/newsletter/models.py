"""Subscribers, editors' picks, issues and one delivery record per issue and recipient."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shpalta.news.models import Article


def today():
    return timezone.localdate()


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("чекає підтвердження")
        CONFIRMED = "confirmed", _("підписаний")
        UNSUBSCRIBED = "unsubscribed", _("відписався")

    email = models.EmailField(_("адреса"), max_length=254, unique=True)
    status = models.CharField(
        _("стан"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("підтверджено"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("відписався"), null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("підписник")
        verbose_name_plural = _("підписники")

    def __str__(self):
        return self.email


class Pick(models.Model):
    """«Вибір редакції»: a story an editor puts into the digest of a day."""

    article = models.ForeignKey(Article, verbose_name=_("стаття"), on_delete=models.CASCADE)
    day = models.DateField(_("день розсилки"), default=today)

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("вибір редакції")
        verbose_name_plural = _("вибір редакції")
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="pick_once_a_day")]

    def __str__(self):
        return f"{self.day}: {self.article}"


class Issue(models.Model):
    """One mailing: rendered once when sending starts, so a resumed send mails the same text."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("щоденний дайджест")
        ONE_OFF = "one_off", _("окремий випуск")

    class Status(models.TextChoices):
        DRAFT = "draft", _("чернетка")
        SENDING = "sending", _("надсилається")
        SENT = "sent", _("надіслано")

    kind = models.CharField(_("вид"), max_length=8, choices=Kind.choices, default=Kind.ONE_OFF)
    day = models.DateField(_("день"), default=today)
    subject = models.CharField(_("тема листа"), max_length=200)
    body = models.TextField(
        _("текст"), blank=True, help_text=_("Для окремого випуску: HTML, як у статті.")
    )
    status = models.CharField(_("стан"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    html = models.TextField(editable=False, blank=True)
    text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    finished_at = models.DateTimeField(_("надіслано"), null=True, blank=True)
    sender = models.CharField(max_length=32, blank=True, editable=False)
    sender_seen = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("випуск")
        verbose_name_plural = _("випуски")
        constraints = [
            # one digest a day, however many workers notice it is due
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(kind="daily"), name="issue_one_digest_a_day"
            )
        ]

    def __str__(self):
        return self.subject


class Delivery(models.Model):
    """Whether one issue went to one subscriber: never sent twice, resumed after a crash."""

    class Status(models.TextChoices):
        PENDING = "pending", _("у черзі")
        SENDING = "sending", _("надсилається")
        SENT = "sent", _("надіслано")
        UNKNOWN = "unknown", _("перервано: не надсилаємо вдруге")
        FAILED = "failed", _("помилка")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("доставка")
        verbose_name_plural = _("доставки")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_once")
        ]
        indexes = [models.Index(fields=["issue", "status"], name="delivery_issue_status")]

    def __str__(self):
        return f"{self.issue_id} → {self.subscriber_id}: {self.get_status_display()}"


class Attempt(models.Model):
    """A subscription request, for the limits per client and per address shared by every app
    server (the database, not a per-process cache). Keys are hashes, never addresses."""

    key = models.CharField(max_length=80)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="attempt_key_at")]

    def __str__(self):
        return f"{self.key[:12]} {self.at:%Y-%m-%d %H:%M}"
