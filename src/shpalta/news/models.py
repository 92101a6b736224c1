"""Articles and what they are filed under: categories, tags and authors."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords

from shpalta.photos.inline import expand as inline_pictures
from shpalta.photos.pictures import largest as largest_rendition
from shpalta.text.cleaning import plain_text, teaser
from shpalta.text.sanitise import sanitise_html
from shpalta.text.slugs import slugify_uk

from . import collation  # noqa: F401  (registers the Ukrainian collation on SQLite connections)
from .links import slug_path

BODY_EDITOR = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Strike": True,
        "Subscript": True,
        "Superscript": True,
        "HardBreak": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        "HorizontalRule": True,
        # photos from the library, inserted by their address (shpalta.photos.inline)
        "Figure": True,
        "Caption": True,  # the figure's <figcaption> (the Figure extension asks for it)
        "Image": True,
        "Table": True,
        "TableRow": True,
        "TableHeader": True,
        "TableCell": True,
        "History": True,
    }
}


def unique_slug(model, text: str, instance_pk=None, field: str = "slug", max_length: int = 120):
    """The KMU 2010 slug of `text`, with -2, -3… added when another row already has it."""
    base = slugify_uk(text, max_length=max_length - 6) or "bez-nazvy"
    slug, n = base, 1
    taken = model._default_manager.exclude(pk=instance_pk)
    while taken.filter(**{field: slug}).exists() or _slug_in_history(model, slug, instance_pk):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _slug_in_history(model, slug, instance_pk) -> bool:
    """An old slug still redirects to its article, so a new article may not take it."""
    if model is not Article:
        return False
    return OldSlug.objects.filter(slug=slug).exclude(article_id=instance_pk).exists()


class Category(models.Model):
    name = models.CharField(_("назва"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=120, unique=True, blank=True, help_text=_("Порожнє — з назви.")
    )
    description = models.TextField(_("опис"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("батьківська рубрика"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    position = models.PositiveIntegerField(
        _("порядок"), default=100, help_text=_("Менше число — вище в меню й на головній.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("рубрика")
        verbose_name_plural = _("рубрики")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Category, self.name, self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("news:category", self.slug)

    def descendant_ids(self) -> set[int]:
        """This rubric and every rubric below it, at any depth.

        Imported WordPress sites nest rubrics; a parent's page, feed and search filter must
        show its children's stories too. The table is small, so one query and a walk in Python
        beat a recursive CTE, and the walk stops on a cycle an editor might have made.
        """
        return rubric_and_below(
            children_of(Category.objects.values_list("pk", "parent_id")), self.pk
        )


def children_of(pairs) -> dict[int | None, list[int]]:
    """(rubric id, parent id) pairs as parent id → its rubrics' ids (None → the top level)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in pairs:
        children.setdefault(parent_id, []).append(pk)
    return children


def rubric_and_below(children: dict[int | None, list[int]], root: int) -> set[int]:
    """`root` and every rubric under it; a cycle an editor made ends the walk instead of
    looping."""
    found, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


class Tag(models.Model):
    name = models.CharField(_("назва"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("тег")
        verbose_name_plural = _("теги")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Tag, self.name, self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("news:tag", self.slug)


class Author(models.Model):
    name = models.CharField(_("ім’я"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    bio = models.TextField(_("про автора"), blank=True)
    photo = models.ImageField(_("фото"), upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("обліковий запис"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("автор")
        verbose_name_plural = _("автори")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name, self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("news:author", self.slug)


def live_condition(now=None, through: str = "") -> models.Q:
    """`ArticleQuerySet.published()` as a condition, for a query that reaches the articles
    through a relation (`through="related__"`) and wants the answer as a column rather than a
    filter (a filter there would let SQLite start from the date index)."""
    moment = timezone.now() if now is None else now
    return models.Q(**{f"{through}status": Article.Status.PUBLISHED}) & models.Q(
        **{f"{through}published_at__lte": moment}
    )


class ArticleQuerySet(models.QuerySet):
    def released(self):
        """Published, scheduled ones included: what the search index and related lists hold,
        so a scheduled story is ready the moment `published()` lets readers see it."""
        return self.filter(status=Article.Status.PUBLISHED)

    def published(self, now=None):
        """What readers may see: published, and not scheduled for later (no cron needed).
        `now`: the moment to judge by, a time or an expression (a prepared query's slot)."""
        return self.filter(live_condition(now))

    def scheduled(self):
        """Released but not yet out: readers see them once their time comes."""
        return self.released().filter(published_at__gt=timezone.now())

    def drafts(self):
        return self.exclude(status=Article.Status.PUBLISHED)

    def in_category(self, category):
        """Stories of a rubric and of every rubric nested below it."""
        return self.filter(category_id__in=category.descendant_ids())

    def for_listing(self):
        """Cards show title, category, date, cover and teaser: no authors, and no HTML body
        (the teaser is cut from the stored plain text)."""
        return (
            self.select_related("category", "cover").defer("body").order_by("-published_at", "-id")
        )


class CoverImageField(models.ImageField):
    """An ImageField whose width and height columns tolerate a file that has gone.

    Django opens the file to fill the size columns whenever an instance with a cover but no
    stored size is made, loading from the database included. A cover deleted from storage
    would then make every page listing its article fail; its size is left unknown instead.
    """

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except (OSError, ValueError):
            setattr(instance, self.width_field, None)
            setattr(instance, self.height_field, None)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("чернетка")
        PUBLISHED = "published", _("опубліковано")

    title = models.CharField(_("заголовок"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Частина адреси. Порожнє — з заголовка (транслітерація КМУ 2010)."),
    )
    lead = models.TextField(_("лід"), blank=True, help_text=_("Одне-два речення під заголовком."))
    body = ProseEditorField(_("текст"), config=BODY_EDITOR, sanitize=sanitise_html, blank=True)
    body_text = models.TextField(_("текст без розмітки"), blank=True, editable=False)
    excerpt = models.TextField(
        _("анонс"), blank=True, help_text=_("Для списків і соцмереж. Порожнє — з ліду або тексту.")
    )
    # The cover: a library image (shpalta.photos), shown through its renditions; its alt,
    # caption and credit are the image's, so editing them there changes every story using it.
    cover = models.ForeignKey(
        "photos.Image",
        verbose_name=_("головне фото"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cover_of",
    )
    # Before the library: a file uploaded with the story. Migration 0005 moved every such file
    # into the library; the column stays readable for old revisions.
    cover_image = CoverImageField(
        _("головне фото (файл статті)"),
        upload_to="covers/%Y/%m/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
    )
    # Stored at upload, so the page's metadata has the size without opening the file. Declared
    # after cover_image: saving an upload fills them, and fields are saved in this order.
    cover_width = models.PositiveIntegerField(_("ширина фото"), null=True, editable=False)
    cover_height = models.PositiveIntegerField(_("висота фото"), null=True, editable=False)
    cover_image_url = models.URLField(
        _("адреса головного фото"), max_length=500, blank=True, help_text=_("Для імпортованих.")
    )
    cover_caption = models.CharField(_("підпис до фото"), max_length=300, blank=True)
    cover_credit = models.CharField(_("автор фото"), max_length=200, blank=True)
    cover_alt = models.CharField(
        _("опис фото для незрячих"), max_length=300, blank=True, help_text=_("Атрибут alt.")
    )
    authors = models.ManyToManyField(Author, verbose_name=_("автори"), blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("рубрика"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("теги"), blank=True, related_name="articles")
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("час публікації"),
        default=timezone.now,
        help_text=_("Майбутній час — стаття вийде сама о цій порі."),
    )
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("оновлено"), auto_now=True)
    # What search engines and social cards show instead of the headline and teaser, when set
    # (an imported WordPress site's Yoast fields land here).
    seo_title = models.CharField(
        _("SEO-заголовок"), max_length=300, blank=True, help_text=_("Порожнє — заголовок.")
    )
    seo_description = models.TextField(
        _("SEO-опис"), blank=True, help_text=_("Порожнє — анонс, лід або початок тексту.")
    )
    source_name = models.CharField(_("джерело"), max_length=200, blank=True)
    source_url = models.URLField(_("адреса джерела"), max_length=1000, blank=True)
    import_source = models.CharField(_("імпортовано з"), max_length=300, blank=True, editable=False)
    import_id = models.CharField(
        _("ідентифікатор імпорту"), max_length=500, blank=True, editable=False
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["body_text"])

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("стаття")
        verbose_name_plural = _("статті")
        indexes = [
            # published() ordered by date: home page, feeds, sitemaps, API list
            models.Index(fields=["status", "-published_at"], name="article_pub_idx"),
            # category pages
            models.Index(fields=["category", "status", "-published_at"], name="article_cat_idx"),
        ]
        constraints = [
            # importers upsert by (source, external id)
            models.UniqueConstraint(
                fields=["import_source", "import_id"],
                condition=~models.Q(import_id=""),
                name="article_import_ref_unique",
            )
        ]

    # The slug as the database holds it, when known: loaded, refreshed or saved (Django's
    # documented from_db() pattern), so a save need not read the row to see a slug change.
    _stored_slug = None

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitise_html(self.body)
        self.body_text = plain_text(self.body)
        if not self.slug:
            self.slug = unique_slug(Article, self.title, self.pk)
        elif self.pk:
            self._remember_old_slug()
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "slug" in update_fields:
            self._stored_slug = self.slug

    def get_absolute_url(self):
        return slug_path("news:article", self.slug)

    @cached_property
    def reader_body(self) -> str:
        """The text as readers get it: library photos in it shown through their renditions,
        with the library's alt text, caption and credit (shpalta.photos.inline)."""
        return inline_pictures(self.body)

    def clean(self):
        super().clean()
        if self.is_released and self.missing_alt():
            raise ValidationError({"cover": self.missing_alt()})

    def missing_alt(self) -> str:
        """Why this story may not be published yet for want of alt text ("" when it may)."""
        if self.cover_id and not self.cover.alt.strip():
            return _(
                "У головного фото немає опису для незрячих (alt). Додайте його в бібліотеці фото "
                "(«Фото» → це фото), тоді публікуйте."
            )
        return ""

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._stored_slug = article.__dict__.get("slug")  # None when the slug is deferred
        return article

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using, fields, from_queryset)
        if fields is None or "slug" in fields:
            self._stored_slug = self.__dict__.get("slug")

    def _remember_old_slug(self):
        old = self._stored_slug
        if old is None:  # made in memory, or loaded without its slug: only the row knows
            old = Article.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        if old and old != self.slug:
            with transaction.atomic():
                OldSlug.objects.filter(slug=self.slug).delete()
                OldSlug.objects.update_or_create(slug=old, defaults={"article_id": self.pk})

    # The publishing rule for one article in memory; ArticleQuerySet.released() and published()
    # are the same rule for queries. Nothing else compares status or dates by hand.
    @property
    def is_released(self) -> bool:
        """Published, scheduled ones included: what search and related lists hold."""
        return self.status == self.Status.PUBLISHED

    @property
    def is_live(self) -> bool:
        """What readers may see: released and its publication time has come."""
        return Article.live_row(self.status, self.published_at)

    @staticmethod
    def live_row(status: str, published_at, now=None) -> bool:
        """is_live for a row read as bare values (sitemaps and the beacon read tuples)."""
        return status == Article.Status.PUBLISHED and published_at <= (now or timezone.now())

    @property
    def is_scheduled(self) -> bool:
        return self.is_released and self.published_at > timezone.now()

    def publish(self) -> bool:
        """Make a draft public, dated now unless it is scheduled; False if it already was.

        A draft's publication time is usually when it was started, hours ago: going live at
        it would put the story below older news on the home page and backdate it in feeds.
        """
        if self.status == self.Status.PUBLISHED:
            return False
        self.status = self.Status.PUBLISHED
        self.date_release_now()
        self.save()
        return True

    def unpublish(self) -> bool:
        """Back to draft; False if it already was one."""
        if self.status == self.Status.DRAFT:
            return False
        self.status = self.Status.DRAFT
        self.save()
        return True

    def date_release_now(self) -> None:
        """A past publication time becomes now; a future one is a schedule and stays."""
        now = timezone.now()
        if self.published_at < now:
            self.published_at = now

    @property
    def teaser(self) -> str:
        return self._summary(160)

    @property
    def description(self) -> str:
        """For meta description, Open Graph and feeds."""
        return self._summary(200)

    def _summary(self, length: int) -> str:
        """Cut from the excerpt or lead, else from the stored plain text: listings then need
        neither the HTML body nor stripping it again on every card.

        A teaser reads only its first length + 1 characters and whether more follow, so a
        slice two longer (one for a space that stripping may drop) gives the same cut. Escaped,
        the plain text passes teaser()'s HTML-to-text step unchanged, `<` and `&` included.
        """
        if self.excerpt or self.lead:
            return teaser(self.excerpt or self.lead, length)
        return teaser(escape(self.body_text[: length + 2]), length)

    @property
    def cover_url(self) -> str:
        """A plain address of the cover (feeds, the API, e-mail): the library image's largest
        JPEG, else the old uploaded file, else the imported address."""
        if self.cover_id:
            return largest_rendition(self.cover)[0]
        return self.cover_image.url if self.cover_image else self.cover_image_url


class OldSlug(models.Model):
    """A slug an article had before: its URL answers 301 to the current one."""

    slug = models.SlugField(_("стара адреса"), max_length=120, unique=True)
    article = models.ForeignKey(
        Article, verbose_name=_("стаття"), on_delete=models.CASCADE, related_name="old_slugs"
    )

    class Meta:
        verbose_name = _("стара адреса")
        verbose_name_plural = _("старі адреси")

    def __str__(self):
        return self.slug


class FrontPageSlotQuerySet(models.QuerySet):
    def current(self, now=None):
        """Pins in force: not expired, and their story is what readers may see."""
        now = now or timezone.now()
        # Each pin's story checked by its key (EXISTS): `article__in` the published stories
        # made SQLite list all of them first, 50-150 ms a home page on 100,000 articles.
        live = Article.objects.published().filter(pk=models.OuterRef("article_id"))
        pinned = self.filter(models.Q(until__isnull=True) | models.Q(until__gt=now))
        return pinned.filter(models.Exists(live))

    def next_expiry(self, now):
        """When a pin next lapses: the home page must change then."""
        return self.filter(until__gt=now).aggregate(due=models.Min("until"))["due"]


class FrontPageSlot(models.Model):
    """An editor's pin on the home page: the lead story or one of the top slots under it, with
    an optional end («головна до 18:00»). Empty slots fill with the newest stories."""

    LEAD = 0
    TOP_SLOTS = 4  # the stories under the lead (news.views.HOME_FEATURED)

    position = models.PositiveSmallIntegerField(
        _("місце"),
        unique=True,
        choices=[(LEAD, _("головна історія"))]
        + [(n, _("верхній ряд, місце %(n)s") % {"n": n}) for n in range(1, TOP_SLOTS + 1)],
    )
    article = models.ForeignKey(
        Article, verbose_name=_("стаття"), on_delete=models.CASCADE, related_name="+"
    )
    until = models.DateTimeField(
        _("до"), null=True, blank=True, help_text=_("Порожньо — доки місце не змінять.")
    )
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто закріпив"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pinned_at = models.DateTimeField(_("закріплено"), auto_now=True)

    objects = FrontPageSlotQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("місце на головній")
        verbose_name_plural = _("місця на головній")

    def __str__(self):
        return f"{self.get_position_display()}: {self.article}"


class StoryPage(models.Model):
    """A published story's page as it was rendered, with holes where the site-wide parts go
    (news/stored.py): what readers see of the story itself is written once, not per request.

    `stamp` says what it was rendered from (the release, the stored pages' generation, the
    story's last save); a page whose stamp is not the one wanted now is rendered again at its
    next view. Only ever read joined to the published story it belongs to, so a draft or an
    unpublished story is never served from here."""

    article = models.OneToOneField(
        Article,
        verbose_name=_("стаття"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_page",
    )
    stamp = models.CharField(_("відбиток"), max_length=100)
    html = models.TextField(_("сторінка з пропусками"))
    body = models.TextField(_("текст для читачів"), blank=True)
    tag_ids = models.TextField(_("теги"), blank=True)
    # The outputs of its kept holes (`{% hole "related" kept "related" %}`), as JSON: hole →
    # [the key part's value it was rendered for, its output].
    parts = models.TextField(_("збережені частини"), blank=True, default="")

    class Meta:
        verbose_name = _("збережена сторінка статті")
        verbose_name_plural = _("збережені сторінки статей")

    def __str__(self):
        return str(self.article_id)


class StoryPageGeneration(models.Model):
    """One row: raised when something every stored story page may show changes (a rubric, tag,
    author or library photo edited or deleted), so each is rendered again at its next view."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("покоління збережених сторінок")
        verbose_name_plural = _("покоління збережених сторінок")

    def __str__(self):
        return str(self.number)
