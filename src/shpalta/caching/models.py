"""The site's content version: one row whose token changes whenever what readers see changes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteVersion(models.Model):
    """Cached pages are stored under `token`, so changing it retires all of them at once.

    The row lives in the database, not in the cache, so every app-server process (each with its
    own local-memory cache) sees a change at once. `next_due` is the publication time of the
    next scheduled article: when it passes, the version changes although nothing was saved.
    """

    token = models.CharField(max_length=40)
    changed_at = models.DateTimeField()
    next_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("версія сайту")
        verbose_name_plural = _("версії сайту")

    def __str__(self):
        return f"{self.token} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"


class CacheScope(models.Model):
    """A part of the site that changes far more often than the rest (a live story's page and
    its update feed): pages that declare the scope are keyed by its token too, so changing the
    token retires them and nothing else. A row in the database, for the same reason as above."""

    name = models.CharField(max_length=100, primary_key=True)
    token = models.CharField(max_length=40)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("версія частини сайту")
        verbose_name_plural = _("версії частин сайту")

    def __str__(self):
        return f"{self.name}: {self.token}"
