"""Reader pages: home, article, category / tag / author lists, preview for editors, errors."""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db import models, router
from django.db.models import Case, F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from shpalta.ops.anonymous import reader_view
from shpalta.ops.prepared import Prepared, Slot

from . import fragments, rubrics, stored
from .models import Article, Author, Category, FrontPageSlot, OldSlug, Tag

HOME_FEATURED = FrontPageSlot.TOP_SLOTS  # under the lead, so its column is as long as the latest
HOME_LATEST = 10
STORY_TEMPLATE = "news/article_detail.html"
HOME_PER_CATEGORY = 4
# The sections are numbered among the newest HOME_SECTION_POOL × HOME_PER_CATEGORY stories per
# section, not the whole archive; a rubric with too few among them gets a second look.
HOME_SECTION_POOL = 8


def home(request):
    """The top stories and the sections are read only when this version's stored parts of the
    page (`{% fragment %}`: the top, the sections) are missing: they change with the version
    alone (a publish, an edit, a pin or its expiry, a scheduled story going out)."""
    stories = HomeStories(request)
    context = {
        "lead": SimpleLazyObject(lambda: stories.lead),
        "featured": SimpleLazyObject(lambda: stories.featured),
        "latest": SimpleLazyObject(lambda: stories.latest),
        "sections": SimpleLazyObject(lambda: stories.sections),
        "has_stories": fragments.cached(
            request, "home-has-stories", (), lambda: stories.lead is not None
        ),
    }
    return render(request, "news/home.html", context)


class HomeStories:
    """What the home page shows, read on first use."""

    def __init__(self, request):
        self.request = request
        self.articles = Article.objects.published().for_listing()

    @cached_property
    def top(self) -> list[Article]:
        return _top_stories(self.articles)

    @property
    def lead(self) -> Article | None:
        return self.top[0] if self.top else None

    @property
    def featured(self) -> list[Article]:
        return self.top[1 : 1 + HOME_FEATURED]

    @property
    def latest(self) -> list[Article]:
        return self.top[1 + HOME_FEATURED :]

    @cached_property
    def sections(self) -> list[tuple[Category, list[Article]]]:
        if not self.top:
            return []
        return _sections(self.articles, rubrics.for_request(self.request))


def _top_stories(articles) -> list[Article]:
    """The lead, the stories under it and the latest list: an editor's pins in their places
    (FrontPageSlot), the newest stories everywhere else."""
    pins = {slot.position: slot.article_id for slot in FrontPageSlot.objects.current()}
    size = 1 + HOME_FEATURED + HOME_LATEST
    pinned = {article.pk: article for article in articles.filter(pk__in=pins.values())}
    newest = iter(articles.exclude(pk__in=list(pinned))[:size])
    top, used = [], set()
    for position in range(1 + HOME_FEATURED):
        article = pinned.get(pins.get(position))
        if article is None or article.pk in used:
            article = next(newest, None)
        if article is not None:
            top.append(article)
            used.add(article.pk)
    return top + [article for article in newest if article.pk not in used][: size - len(top)]


def _sections(articles, tree: rubrics.Rubrics) -> list[tuple[Category, list[Article]]]:
    """The newest few stories of each top-level rubric, its sub-rubrics' included, in one
    query however many rubrics there are, and a second only when a rubric came up short."""
    sections = tree.sections()
    if not sections:
        return []
    section_of = Case(
        *(When(category_id__in=ids, then=Value(top)) for top, ids in sections.items()),
        output_field=IntegerField(),
    )
    in_sections = articles.filter(category_id__in=set().union(*sections.values()))
    # Read once into a list: as a subquery SQLite planned it twice, and slowly (50 ms on
    # 100,000 stories against 2 ms for the ids alone, read along the date index).
    size = HOME_SECTION_POOL * HOME_PER_CATEGORY * len(sections)
    pool = in_sections.values_list("pk", "category_id")[:size]  # newest first
    # Each section's first few of the pool are picked here (the pool is a few hundred ids in
    # date order) and only their cards read, by key: a window function over the pool cost
    # 5-8 ms a home page on 100,000 stories. The ids came through published(): filtering
    # them again made SQLite walk the date index over the whole archive.
    top_of = {rubric: top for top, ids in sections.items() for rubric in ids}
    picked: dict[int, list[int]] = {}
    for pk, rubric in pool:
        chosen = picked.setdefault(top_of[rubric], [])
        if len(chosen) < HOME_PER_CATEGORY:
            chosen.append(pk)
    cards = Article.objects.for_listing().in_bulk([pk for ids in picked.values() for pk in ids])
    items = {top: [cards[pk] for pk in ids if pk in cards] for top, ids in picked.items()}
    short = [top for top in sections if len(items.get(top, ())) < HOME_PER_CATEGORY]
    if short:
        ids = set().union(*(sections[top] for top in short))
        items |= _newest_per_section(in_sections.filter(category_id__in=ids), section_of)
    return [(top, items[top.pk]) for top in tree.top_level if top.pk in items]


def _newest_per_section(candidates, section_of) -> dict[int, list[Article]]:
    """Top-level rubric id → its newest stories among `candidates`, at most HOME_PER_CATEGORY.

    A window function numbers the stories within each top-level rubric. It runs over the ids
    alone and the cards are then read by id: numbering whole rows would sort every story's
    text along with it.
    """
    newest_first = Window(
        RowNumber(), partition_by=section_of, order_by=(F("published_at").desc(), F("id").desc())
    )
    firsts = candidates.annotate(place=newest_first).filter(place__lte=HOME_PER_CATEGORY)
    rows = candidates.filter(pk__in=firsts.values("pk")).annotate(section=section_of)
    items: dict[int, list[Article]] = {}
    for article in rows:  # newest first, as for_listing() orders them
        items.setdefault(article.section, []).append(article)
    return items


# The story page's own queries, compiled to SQL once per process (ops.prepared): compiling
# them took about a third of an uncached story page, running them a tenth of that.
STORY_BY_SLUG = Prepared(
    lambda: (
        Article.objects.published(now=Slot("now", models.DateTimeField()))
        .select_related("category", "cover", "stored_page")
        .filter(slug=Slot("slug", models.CharField()))[:1]
    )
)
# The story with its kept page, for the page's holes (news/stored.py): only what the holes and
# the kept page's stamp read of it (its id, rubric, last save; its headline, in a live story's
# JSON-LD; the slug and the publishing fields, as every loaded story has them), the same
# publishing rule, read as bare values (a queryset's model machinery cost a fifth of a kept
# page) and made into the story and its page by Django's own `from_db`. Its text, rubric and
# cover rows, headline and the rest are in the kept page: reading and converting them cost half
# of the full query. A hole that read another field would cost a query of its own, which
# tests/news/test_blocks_per_version.py counts.
KEPT_READ = {"id", "slug", "status", "published_at", "updated_at", "category_id", "title"}
# In the model's own order, which `from_db` takes them in (and the page's: all its fields).
KEPT_FIELDS = tuple(f.attname for f in Article._meta.concrete_fields if f.attname in KEPT_READ)
KEPT_PAGE_FIELDS = stored.KEPT_PAGE_FIELDS
STORY_KEPT = Prepared(
    lambda: (
        Article.objects.published(now=Slot("now", models.DateTimeField()))
        .filter(slug=Slot("slug", models.CharField()))
        .values_list(*KEPT_FIELDS, *(f"stored_page__{name}" for name in KEPT_PAGE_FIELDS))[:1]
    )
)
KEPT_CONVERTED = (KEPT_FIELDS.index("published_at"), KEPT_FIELDS.index("updated_at"))


def _kept_story(slug: str, now) -> tuple[Article, stored.Kept | None] | None:
    """The published story of this slug with its kept page (None if it has none), or None."""
    found = STORY_KEPT.rows(converted=KEPT_CONVERTED, slug=slug, now=now)
    if not found:
        return None
    row, db = found[0], router.db_for_read(Article)
    width = len(KEPT_FIELDS)
    article = Article.from_db(db, KEPT_FIELDS, row[:width])
    if row[width] is None:  # no page kept
        return article, None
    return article, stored.Kept(article.pk, *row[width:])


STORY_AUTHORS = Prepared(
    lambda: Author.objects.filter(article__id=Slot("story", models.IntegerField()))
)
STORY_TAGS = Prepared(lambda: Tag.objects.filter(articles__id=Slot("story", models.IntegerField())))


@reader_view  # for anonymous readers, no session, CSRF or messages middleware (ops.anonymous)
def article_detail(request, slug):
    now = timezone.now()
    keeping = stored.enabled(request)
    if keeping:
        # A story whose page is kept for what it shows now: its holes filled, nothing more read.
        found = _kept_story(slug, now)
        html = stored.kept(request, *found, STORY_TEMPLATE) if found else None
        if html is not None:
            return HttpResponse(html)
    found = STORY_BY_SLUG(slug=slug, now=now)
    article = found[0] if found else None
    if article is None:
        old = OldSlug.objects.select_related("article").filter(slug=slug).first()
        if old and old.article.is_live:
            return redirect(old.article, permanent=True)
        return page_not_found(request, None)
    if keeping:
        # Rendered whole with its holes left as marks, kept, then filled (news/stored.py).
        html = stored.page(request, article, STORY_TEMPLATE, lambda: _article_context(article))
        return HttpResponse(html)
    return render(request, STORY_TEMPLATE, _article_context(article))


@staff_member_required
@never_cache
def article_preview(request, pk):
    """Editors see a draft or scheduled article exactly as readers will; an author only their
    own (the roles answer through `has_perm` with the article, shpalta.newsroom.backends)."""
    article = get_object_or_404(Article.objects.select_related("category", "cover"), pk=pk)
    if not request.user.has_perm("news.view_article", article):
        raise Http404
    context = _article_context(article) | {"preview": True}
    response = render(request, STORY_TEMPLATE, context)
    response["X-Robots-Tag"] = "noindex"
    return response


def _article_context(article):
    """`authors` and `tags` are the story's: the byline, the SEO metadata and the ad slots'
    targeting read them from here rather than each asking again."""
    return {
        "article": article,
        "authors": STORY_AUTHORS(story=article.pk),
        "tags": STORY_TAGS(story=article.pk),
    }


class ArticleListView(ListView):
    """A paginated list of the published articles under one category, tag or author."""

    template_name = "news/article_list.html"
    paginate_by = settings.SHPALTA_PAGE_SIZE
    model = None
    filter_field = ""

    def get_queryset(self):
        self.subject = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(**{self.filter_field: self.subject})

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"subject": self.subject, "kind": self.kind}


class CategoryView(ArticleListView):
    """A rubric's stories and those of every rubric under it, from the tree the menu reads."""

    model, kind = Category, "category"

    def get_queryset(self):
        tree = rubrics.for_request(self.request)
        self.subject = tree.by_slug(self.kwargs["slug"])
        if self.subject is None:
            raise Http404
        rubric_ids = tree.below(self.subject)
        return Article.objects.published().for_listing().filter(category_id__in=rubric_ids)


class TagView(ArticleListView):
    model, filter_field, kind = Tag, "tags", "tag"


class AuthorView(ArticleListView):
    model, filter_field, kind = Author, "authors", "author"


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """Rendered without context processors: the database may be what failed."""
    return HttpResponseServerError(loader.render_to_string("500.html"))
