"""RSS 2.0 and Atom feeds of the whole site and of each category, tag and author.

Items carry the lead as their summary and, with SHPALTA_FEED_FULL_TEXT on (the default), the
full text as `content:encoded` (RSS) or `<content>` (Atom), and the cover as an enclosure.
Other capabilities add to an item through `feeds.extras` (a live story's latest entries).
Links are absolute on SITE_URL, like the canonical links of the pages.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _

from shpalta.caching import versioning
from shpalta.news import metadata
from shpalta.news.links import absolute
from shpalta.news.models import Article, Author, Category, Tag

from . import extras
from .enclosures import cover_enclosures
from .xmltext import xml_text

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with the full text; its text elements escaped as HTML text.

    RSS readers take a title, description, `dc:creator` or category as HTML, so a name such as
    `<svg onload=…>` would be markup there: these are escaped as the item descriptions are
    (`ArticleFeed.item_description`). Atom marks its titles and names as text and needs none.
    """

    ESCAPED = ("title", "description", "subtitle", "author_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _escape_text(self.feed, self.ESCAPED)

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        # The item's description is escaped already, by the feed that made it.
        _escape_text(self.items[-1], ("title", "author_name"))

    def rss_attributes(self):
        return super().rss_attributes() | {"xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


def _escape_text(fields: dict, names) -> None:
    for name in names:
        if fields.get(name):
            fields[name] = escape(fields[name])
    fields["categories"] = [escape(category) for category in fields.get("categories") or ()]


class AtomWithContent(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class ArticleFeed(Feed):
    """The site's newest published articles; subclasses narrow them to one subject."""

    feed_type = RssWithContent
    language = "uk"
    kind = ""  # a subject feed's kind: "category", "tag" or "author" (its URL names' prefix)

    def __call__(self, request, *args, **kwargs):
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("Feed object does not exist.") from None
        feed = self.get_feed(obj, request)
        response = HttpResponse(content_type=feed.content_type)
        # Deleting an article or renaming a category changes a feed without a newer item: the
        # content version's time covers those too, so If-Modified-Since stays honest.
        newest = max(feed.latest_post_date(), versioning.current().changed_at)
        response["Last-Modified"] = http_date(newest.timestamp())
        feed.write(response, "utf-8")
        return response

    def get_object(self, request, *args, **kwargs):
        return None

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        queryset = self.articles(obj).select_related("category").prefetch_related("authors", "tags")
        items = list(queryset.order_by("-published_at", "-id")[: settings.SHPALTA_FEED_ITEMS])
        added = extras.for_items([item.pk for item in items])
        for item in items:
            item.feed_extras = added.get(item.pk, [])
        return items

    def title(self, obj):
        return settings.SITE_NAME

    def subtitle(self, obj):
        return _("Новини, яким можна довіряти")

    description = subtitle

    def page_path(self, obj) -> str:
        return reverse("news:home")

    def link(self, obj):
        return absolute(self.page_path(obj))

    def feed_url(self, obj):
        form = "atom" if self.feed_type is AtomWithContent else "rss"
        if obj is None:
            return absolute(reverse(f"feeds:{form}"))
        return absolute(reverse(f"feeds:{self.kind}-{form}", args=[obj.slug]))

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def author_name(self, obj):
        return settings.SITE_NAME

    def feed_copyright(self, obj):
        return f"© {settings.SITE_NAME}"

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        return xml_text(escape(item.lead or item.description))

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        """Stable when the slug (and so the link) changes, so readers don't show it twice."""
        return f"tag:{urlsplit(settings.SITE_URL).hostname},2025:article:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        changes = [extra.updated_at for extra in item.feed_extras if extra.updated_at]
        return max(item.updated_at, item.published_at, *changes)

    def item_author_name(self, item):
        names = ", ".join(author.name for author in item.authors.all())
        return xml_text(names or settings.SITE_NAME)

    def item_categories(self, item):
        names = [item.category.name] if item.category else []
        return [xml_text(name) for name in names + [tag.name for tag in item.tags.all()]]

    def item_enclosures(self, item):
        return cover_enclosures(item)

    def item_copyright(self, item):
        return f"© {settings.SITE_NAME}"

    def item_extra_kwargs(self, item):
        if not settings.SHPALTA_FEED_FULL_TEXT:
            return {}
        added = "".join(extra.html for extra in item.feed_extras)
        return {"content": xml_text(item.body + added)}


class SubjectFeed(ArticleFeed):
    """The feed of one category, tag or author: `model` is looked up by the URL's slug."""

    model = None
    filter_field = ""

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def articles(self, obj):
        return Article.objects.published().filter(**{self.filter_field: obj})

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def subtitle(self, obj):
        return metadata.listing_description(self.kind, obj)

    description = subtitle

    def page_path(self, obj) -> str:
        return obj.get_absolute_url()


class CategoryFeed(SubjectFeed):
    model, kind = Category, "category"

    def articles(self, obj):
        """A rubric's feed carries the stories of the rubrics nested below it, as its page does."""
        return Article.objects.published().in_category(obj)


class TagFeed(SubjectFeed):
    model, filter_field, kind = Tag, "tags", "tag"


class AuthorFeed(SubjectFeed):
    model, filter_field, kind = Author, "authors", "author"


def atom(feed_class):
    """The Atom twin of an RSS feed class."""
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": AtomWithContent})
