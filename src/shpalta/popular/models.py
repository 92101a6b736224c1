"""What view counting keeps: hourly counters, short-lived reader marks, applied batches."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shpalta.news.models import Article


class HourlyViews(models.Model):
    """Counted views of one article in one UTC hour: windows and totals are sums of these rows.

    Hours, not single views, are stored so a busy article costs one row per hour however
    many readers it has, and the 24 h / 7 d / 30 d windows are plain range sums.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("стаття"), on_delete=models.CASCADE, related_name="hourly_views"
    )
    hour = models.DateTimeField(_("година (UTC)"))
    views = models.PositiveBigIntegerField(_("перегляди"), default=0)

    class Meta:
        verbose_name = _("перегляди за годину")
        verbose_name_plural = _("перегляди за годинами")
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="popular_article_hour_unique")
        ]
        indexes = [models.Index(fields=["hour", "article"], name="popular_hour_idx")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}:00 — {self.views}"


class ReaderMark(models.Model):
    """A keyed hash of (IP, user agent, article) seen recently, for de-duplication only.

    The hash is made with a secret that changes every day and the row is deleted half an
    hour after the view, so no IP address is stored and marks cannot be linked across days.
    Used by the embedded (database) path; the Redis path keeps the same marks as expiring keys.
    """

    key = models.CharField(max_length=32, primary_key=True)
    seen_at = models.BigIntegerField(db_index=True, help_text="Unix time of the counted view.")

    class Meta:
        verbose_name = _("мітка читача")
        verbose_name_plural = _("мітки читачів")

    def __str__(self):
        return self.key


class AddressBudget(models.Model):
    """Readers counted from one client address in one half hour, on one article (key "a:…")
    or on the whole site ("s:…"), so that rotating user agents from one address stops paying.

    The address is a keyed hash under the day's secret (readers.address_key); the row is
    deleted once its half hour is long over. The embedded path's budgets; the Redis path keeps
    the same counts as expiring keys.
    """

    key = models.CharField(max_length=64, primary_key=True)
    ends = models.BigIntegerField(db_index=True, help_text="Unix time its half hour ends.")
    used = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ліміт адреси")
        verbose_name_plural = _("ліміти адрес")

    def __str__(self):
        return f"{self.key}: {self.used}"


class AppliedFlush(models.Model):
    """A batch of counts already in HourlyViews — a journal segment (id "j…") or a Redis
    flush — so a replay adds nothing. Kept a week (see applied.py), long past any retry."""

    flush_id = models.CharField(max_length=40, primary_key=True)
    applied_at = models.DateTimeField(auto_now_add=True, db_index=True)
    articles = models.PositiveIntegerField(default=0)
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("застосоване скидання лічильників")
        verbose_name_plural = _("застосовані скидання лічильників")

    def __str__(self):
        return self.flush_id
