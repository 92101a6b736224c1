"""Live coverage (онлайн-трансляція) of a story, its entries, and the «Терміново» strip."""

import io
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from shpalta.news.models import Article
from shpalta.text.cleaning import plain_text
from shpalta.text.sanitise import sanitise_html

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


class LiveCoverage(models.Model):
    """An article run as a live page: the entries below it, the summary on top, its state."""

    class State(models.TextChoices):
        LIVE = "live", _("триває")
        ENDED = "ended", _("завершено")

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="live_coverage", verbose_name=_("стаття")
    )
    state = models.CharField(_("стан"), max_length=10, choices=State, default=State.LIVE)
    summary = models.TextField(
        _("головне зараз"), blank=True, help_text=_("Кілька речень над стрічкою оновлень.")
    )
    started_at = models.DateTimeField(_("початок"), default=timezone.now)
    ended_at = models.DateTimeField(_("завершення"), null=True, blank=True)

    class Meta:
        verbose_name = _("онлайн-трансляція")
        verbose_name_plural = _("онлайн-трансляції")
        ordering = ["-started_at"]

    def __str__(self):
        return str(self.article)

    @property
    def is_running(self) -> bool:
        return self.state == self.State.LIVE


class LiveEntry(models.Model):
    """One timestamped update; its text is rich text, sanitised as article bodies are."""

    coverage = models.ForeignKey(
        LiveCoverage, on_delete=models.CASCADE, related_name="entries", verbose_name=_("трансляція")
    )
    created_at = models.DateTimeField(_("час"), default=timezone.now, db_index=True)
    text = models.TextField(_("текст"))
    text_plain = models.TextField(_("текст без розмітки"), blank=True, editable=False)
    image = models.ImageField(_("фото"), upload_to="live/%Y/%m/", blank=True)
    link = models.URLField(_("посилання"), max_length=1000, blank=True)
    important = models.BooleanField(
        _("важливо"), default=False, help_text=_("Закріпити над стрічкою.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("редактор"),
    )

    class Meta:
        verbose_name = _("оновлення")
        verbose_name_plural = _("оновлення")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.text_plain[:80] or str(self.pk)

    def save(self, *args, **kwargs):
        self.text = sanitise_html(self.text)
        self.text_plain = plain_text(self.text)
        if self.image and not self.image._committed:
            self.image = without_metadata(self.image)
        with transaction.atomic():
            if self._state.adding:
                self._queue_behind_other_posts()
            super().save(*args, **kwargs)

    def _queue_behind_other_posts(self) -> None:
        """Readers ask for entries after the newest id they have: a new entry must never commit
        with an id below one already seen. Posts to one story take its row's lock until their
        transaction ends, so ids commit in order (SQLite serialises all writers anyway)."""
        list(LiveCoverage.objects.select_for_update().filter(pk=self.coverage_id).values("pk"))

    def anchor(self) -> str:
        return f"onovlennia-{self.pk}"


def without_metadata(upload) -> ContentFile:
    """The photo re-encoded from its pixels alone: no EXIF, so no place or camera is served."""
    upload.seek(0)
    with Image.open(upload) as image:
        kind = image.format if image.format in IMAGE_FORMATS else "JPEG"
        picture = ImageOps.exif_transpose(image)
        if kind == "JPEG" and picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        buffer = io.BytesIO()
        picture.save(buffer, format=kind)
    name = f"{PurePath(upload.name).stem}.{IMAGE_FORMATS[kind]}"
    return ContentFile(buffer.getvalue(), name=name)


class BreakingNews(models.Model):
    """The «Терміново» strip over every page: one story, shown until it expires."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("стаття")
    )
    text = models.CharField(
        _("текст"), max_length=200, blank=True, help_text=_("Порожнє — заголовок статті.")
    )
    starts_at = models.DateTimeField(_("показувати з"), default=timezone.now)
    expires_at = models.DateTimeField(_("показувати до"))

    class Meta:
        verbose_name = _("термінова новина")
        verbose_name_plural = _("термінові новини")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.text or str(self.article)

    def label(self) -> str:
        return self.text or self.article.title
