"""What the importers remember between runs: old URLs, source terms, feed state, fingerprints."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shpalta.news.models import Article, Author, Category, Tag


class ImportRecord(models.Model):
    """The import-side facts of one imported article.

    The checksum of what the importer last wrote lets a re-run skip an unchanged item without
    touching the row (so a re-run really changes nothing, and an editor's later fixes survive
    until the source itself changes). The MinHash fingerprint finds the same story arriving
    from another feed.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="import_record", verbose_name=_("стаття")
    )
    checksum = models.CharField(_("контрольна сума"), max_length=64)
    fingerprint = models.BinaryField(_("відбиток тексту"), null=True, blank=True)
    link_hash = models.CharField(
        _("SHA-256 адреси джерела"), max_length=64, blank=True, db_index=True, editable=False
    )
    imported_at = models.DateTimeField(_("імпортовано"), auto_now=True)

    class Meta:
        verbose_name = _("запис імпорту")
        verbose_name_plural = _("записи імпорту")
        indexes = [models.Index(fields=["-imported_at"], name="import_record_recent_idx")]

    def __str__(self):
        return str(self.article)


class LegacyURL(models.Model):
    """An address the site had before migrating; it answers 301 with the current page.

    `path` is stored normalised (see `shpalta.importers.legacy.normalise_path`): percent-decoded,
    lowercase, with a trailing slash, and with `?p=123`-style query strings kept.
    """

    path = models.CharField(_("стара адреса"), max_length=500, unique=True)
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="legacy_urls",
        verbose_name=_("стаття"),
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("рубрика")
    )
    tag = models.ForeignKey(
        Tag, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("тег")
    )
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("автор")
    )
    source = models.CharField(_("імпортовано з"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("стара адреса сайту")
        verbose_name_plural = _("старі адреси сайту")

    def __str__(self):
        return self.path

    def target_url(self) -> str | None:
        """The page to send the visitor to, or None when it is not public (a draft)."""
        if self.article_id:
            return self.article.get_absolute_url() if self.article.is_live else None
        for subject in (self.category, self.tag, self.author):
            if subject is not None:
                return subject.get_absolute_url()
        return None


class ImportedTerm(models.Model):
    """A source's category, tag or author (by its own key) mapped to Shpalta's row.

    WordPress allows two categories of one name under different parents; Shpalta's names are
    unique, so the mapping, not the name, is what makes a re-run land on the same rows.
    """

    class Kind(models.TextChoices):
        CATEGORY = "category", _("рубрика")
        TAG = "tag", _("тег")
        AUTHOR = "author", _("автор")

    source = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=300)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE)
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("імпортований термін")
        verbose_name_plural = _("імпортовані терміни")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "key"], name="imported_term_unique")
        ]

    def __str__(self):
        return f"{self.kind}:{self.key}"


class FeedSource(models.Model):
    """A polled feed: its validators let the next poll be a cheap 304."""

    url = models.CharField(_("адреса"), max_length=1000, unique=True)
    title = models.CharField(_("назва"), max_length=300, blank=True)
    etag = models.CharField(_("ETag"), max_length=300, blank=True)
    modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    last_polled_at = models.DateTimeField(_("останнє опитування"), null=True, blank=True)
    last_status = models.CharField(_("останній результат"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("стрічка")
        verbose_name_plural = _("стрічки")

    def __str__(self):
        return self.title or self.url
