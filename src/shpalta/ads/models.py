"""Ad and promo spots: where they go (Placement), what fills them (Creative), where none may
go (AdFreeArticle, AdFreeRubric) and what they did (DailyStats, counted through Mark)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shpalta.news.models import Article, Category, Tag
from shpalta.photos.models import Image

from .validation import validate_snippet, validate_target_url

SIZE = [MinValueValidator(20), MaxValueValidator(2000)]


class Placement(models.Model):
    """One place on the pages; the six exist from the migration, the newsroom edits sizes."""

    class Key(models.TextChoices):
        HEADER = "header", _("під шапкою сайту")
        ARTICLE_TOP = "article_top", _("над текстом статті")
        INLINE = "inline", _("у тексті статті, після абзацу N")
        ARTICLE_BOTTOM = "article_bottom", _("під статтею")
        SIDEBAR = "sidebar", _("у бічній панелі")
        LIST = "list", _("між картками у списках")

    key = models.CharField(_("місце"), max_length=20, choices=Key.choices, unique=True)
    enabled = models.BooleanField(_("увімкнено"), default=True)
    desktop_width = models.PositiveSmallIntegerField(_("ширина на комп’ютері, px"), validators=SIZE)
    desktop_height = models.PositiveSmallIntegerField(
        _("висота на комп’ютері, px"), validators=SIZE
    )
    mobile_width = models.PositiveSmallIntegerField(_("ширина на телефоні, px"), validators=SIZE)
    mobile_height = models.PositiveSmallIntegerField(_("висота на телефоні, px"), validators=SIZE)
    position = models.PositiveSmallIntegerField(
        _("N"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "У тексті статті: після якого абзацу (статті, коротші за N+2 абзаци, — без "
            "реклами); у списках: після якої картки. Для інших місць не важить."
        ),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("рекламне місце")
        verbose_name_plural = _("рекламні місця")

    def __str__(self):
        return str(self.get_key_display())


class CreativeQuerySet(models.QuerySet):
    def running(self, now=None):
        """Switched on and not yet over: what a page rendered now may carry (a creative whose
        start is still ahead rides along and the page's script waits for its time)."""
        now = now or timezone.now()
        return self.filter(active=True).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


class Creative(models.Model):
    """A banner (image, link, alt text) or an ad network's snippet, with its schedule, weight
    and targeting."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("банер: зображення з посиланням")
        HTML = "html", _("код рекламної мережі")

    name = models.CharField(_("назва"), max_length=200)
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices, default=Kind.IMAGE)
    image = models.ForeignKey(
        Image,
        verbose_name=_("зображення"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("З медіатеки: сторінки показують його через рендиції (AVIF, WebP, JPEG)."),
    )
    mobile_image = models.ForeignKey(
        Image,
        verbose_name=_("зображення для телефона"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Необов’язкове: показується на екранах до 560 px."),
    )
    alt = models.CharField(
        _("альтернативний текст"),
        max_length=200,
        blank=True,
        help_text=_("Що на банері, для тих, хто не бачить зображення."),
    )
    url = models.URLField(
        _("посилання"), max_length=500, blank=True, validators=[validate_target_url]
    )
    html = models.TextField(
        _("код"),
        blank=True,
        validators=[validate_snippet],
        help_text=_(
            "Лише <script src> з хостів із SHPALTA_ADS_NETWORK_HOSTS і розмітка без "
            "вбудованих скриптів та обробників подій."
        ),
    )
    placements = models.ManyToManyField(
        Placement, verbose_name=_("місця"), related_name="creatives"
    )
    starts_at = models.DateTimeField(_("показувати з"), null=True, blank=True)
    ends_at = models.DateTimeField(_("показувати до"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("вага"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Частка показів серед інших у тому самому місці: вага 3 — утричі частіше."),
    )
    rubrics = models.ManyToManyField(
        Category,
        verbose_name=_("лише в рубриках"),
        blank=True,
        related_name="+",
        help_text=_("Порожньо — на всіх сторінках (і з тегами нижче)."),
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("лише з тегами"), blank=True, related_name="+"
    )
    active = models.BooleanField(_("увімкнено"), default=True)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)

    objects = CreativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("рекламний матеріал")
        verbose_name_plural = _("рекламні матеріали")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.kind == self.Kind.IMAGE:
            if not self.image_id:
                errors["image"] = _("Банеру потрібне зображення.")
            if not self.alt.strip():
                errors["alt"] = _("Банеру потрібен альтернативний текст.")
            if not self.url:
                errors["url"] = _("Банеру потрібне посилання.")
        elif not self.html.strip():
            errors["html"] = _("Вставте код рекламної мережі.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Кінець показу має бути пізніше за початок.")
        if errors:
            raise ValidationError(errors)


class AdFreeArticle(models.Model):
    """«Без реклами» for one story (news' models stay as they are)."""

    article = models.OneToOneField(
        Article, verbose_name=_("стаття"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(_("причина"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("стаття без реклами")
        verbose_name_plural = _("статті без реклами")

    def __str__(self):
        return str(self.article)


class AdFreeRubric(models.Model):
    """«Без реклами» for a rubric, its subrubrics, their stories and list pages."""

    rubric = models.OneToOneField(
        Category, verbose_name=_("рубрика"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(_("причина"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("рубрика без реклами")
        verbose_name_plural = _("рубрики без реклами")

    def __str__(self):
        return str(self.rubric)


class DailyStats(models.Model):
    """Impressions and clicks of one creative on one day (UTC)."""

    creative = models.ForeignKey(Creative, on_delete=models.CASCADE, related_name="stats")
    day = models.DateField()
    impressions = models.PositiveBigIntegerField(default=0)
    clicks = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["creative", "day"], name="ads_stats_creative_day")
        ]
        verbose_name = _("денна статистика")
        verbose_name_plural = _("денна статистика")

    def __str__(self):
        return f"{self.creative_id} {self.day}"


class Mark(models.Model):
    """A reader recently counted for a creative (keyed hash, no address): the embedded path's
    de-duplication, as popular's reader marks are for views."""

    key = models.CharField(max_length=40, unique=True)
    seen_at = models.BigIntegerField(db_index=True)

    def __str__(self):
        return self.key
