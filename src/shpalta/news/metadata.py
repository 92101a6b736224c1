"""What a shared link or a search engine reads from a page: Open Graph, Twitter card, JSON-LD.

Everything is built here as plain Python values and only escaped by the template, so the
values can be tested directly and no field is ever pasted into markup by hand.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from shpalta.photos.pictures import social as social_picture
from shpalta.text.cleaning import teaser

from .links import absolute, route_path

SCHEMA = "https://schema.org"
LOCALE = "uk_UA"
LANGUAGE = "uk"
HEADLINE_MAX = 110  # Google shows no more of a NewsArticle headline
SHARE_IMAGE = "shpalta/og-default.png"
LOGO = "shpalta/logo.png"


@dataclass(frozen=True)
class Picture:
    url: str
    width: int | None = None
    height: int | None = None
    alt: str = ""

    def json_ld(self) -> dict:
        data = {"@type": "ImageObject", "url": self.url}
        if self.width and self.height:
            data |= {"width": self.width, "height": self.height}
        return data


@dataclass
class PageMeta:
    """`og` and `twitter` are (name, content) pairs in page order; `json_ld` is a list of dicts."""

    canonical: str
    og: list[tuple[str, str]] = field(default_factory=list)
    twitter: list[tuple[str, str]] = field(default_factory=list)
    json_ld: list[dict] = field(default_factory=list)


def home_url() -> str:
    return absolute(route_path("news:home"))


# The escapes of Django's json_script: nothing inside can close the <script> element.
SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def script_json(data: dict) -> SafeString:
    """`data` as JSON for a `<script type="application/ld+json">` element.

    str.replace per character, not str.translate: a translate table makes Python look every
    character of a Cyrillic text up in a dict (about 100 µs for a story's JSON-LD)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    for char, escaped in SCRIPT_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return mark_safe(text)  # noqa: S308 - escaped just above


def headline(title: str) -> str:
    """The title, or its first words up to HEADLINE_MAX characters (titles are plain text)."""
    if len(title) <= HEADLINE_MAX:
        return title
    cut = title[: HEADLINE_MAX - 1].rsplit(" ", 1)[0] or title[: HEADLINE_MAX - 1]
    return cut.rstrip(" ,;:—–-") + "…"


def iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


@lru_cache(maxsize=8)
def static_picture(path: str, alt: str = "") -> Picture:
    """A bundled image with its real size read once from the file."""
    width = height = None
    found = finders.find(path)
    if found:
        with Image.open(found) as image:
            width, height = image.size
    return Picture(absolute(static(path)), width, height, alt)


def share_picture() -> Picture:
    return static_picture(getattr(settings, "SHPALTA_SHARE_IMAGE", SHARE_IMAGE), settings.SITE_NAME)


def article_picture(article) -> Picture:
    """The cover with the size stored at upload (reading it from the file would open the image
    on every render); a remote cover's size is unknown."""
    if article.cover_id:  # the library's 1200×630 crop around the focal point
        url, width, height = social_picture(article.cover)
        return Picture(absolute(url), width, height, article.cover.alt or article.title)
    alt = article.cover_alt or article.title
    if article.cover_image:
        width, height = article.cover_width, article.cover_height
        return Picture(absolute(article.cover_image.url), width, height, alt)
    if article.cover_image_url:
        return Picture(article.cover_image_url, alt=alt)
    return share_picture()


def publisher() -> dict:
    logo = static_picture(getattr(settings, "SHPALTA_LOGO", LOGO))
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": home_url(),
        "logo": logo.json_ld(),
    }


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """BreadcrumbList from (name, url) pairs, the home page first."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def _home_crumb() -> tuple[str, str]:
    return (_("Головна"), home_url())


def _og_common(title: str, description: str, url: str, kind: str, picture: Picture) -> list:
    pairs = [
        ("og:site_name", settings.SITE_NAME),
        ("og:locale", LOCALE),
        ("og:type", kind),
        ("og:title", title),
        ("og:description", description),
        ("og:url", url),
        ("og:image", picture.url),
    ]
    if picture.width and picture.height:
        pairs += [("og:image:width", str(picture.width)), ("og:image:height", str(picture.height))]
    if picture.alt:
        pairs.append(("og:image:alt", picture.alt))
    return pairs


def _twitter(title: str, description: str, picture: Picture) -> list:
    pairs = [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", title),
        ("twitter:description", description),
        ("twitter:image", picture.url),
    ]
    if picture.alt:
        pairs.append(("twitter:image:alt", picture.alt))
    return pairs


def article_meta(article, authors, tags) -> PageMeta:
    url = absolute(article.get_absolute_url())
    description = article.description
    picture = article_picture(article)
    og = _og_common(article.title, description, url, "article", picture)
    published = iso(article.published_at)
    modified = iso(max(article.updated_at, article.published_at))
    og += [("article:published_time", published), ("article:modified_time", modified)]
    if article.category:
        og.append(("article:section", article.category.name))
    og += [("article:author", absolute(author.get_absolute_url())) for author in authors]
    og += [("article:tag", tag.name) for tag in tags]
    news = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": headline(article.title),
        "description": description,
        "image": [picture.json_ld()],
        "datePublished": published,
        "dateModified": modified,
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute(author.get_absolute_url())}
            for author in authors
        ]
        or [{"@type": "Organization", "name": settings.SITE_NAME, "url": home_url()}],
        "publisher": publisher(),
        "inLanguage": LANGUAGE,
        "isAccessibleForFree": True,
    }
    trail = [_home_crumb()]
    if article.category:
        news["articleSection"] = article.category.name
        trail.append((article.category.name, absolute(article.category.get_absolute_url())))
    if tags:
        news["keywords"] = [tag.name for tag in tags]
    trail.append((article.title, url))
    return PageMeta(
        canonical=url,
        og=og,
        twitter=_twitter(article.title, description, picture),
        json_ld=[news, breadcrumbs(trail)],
    )


def home_meta() -> PageMeta:
    url = home_url()
    title = f"{settings.SITE_NAME} — {_('новини України')}"
    description = _("Новини, яким можна довіряти")
    picture = share_picture()
    website = {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": url,
        "inLanguage": LANGUAGE,
        "description": description,
        "publisher": publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute(reverse("search:search") + "?q={q}"),
            },
            "query-input": "required name=q",
        },
    }
    return PageMeta(
        canonical=url,
        og=_og_common(title, description, url, "website", picture),
        twitter=_twitter(title, description, picture),
        json_ld=[website, {"@context": SCHEMA} | publisher(), breadcrumbs([_home_crumb()])],
    )


# The same msgids as the list template's meta description (blocktranslate with `name`).
LISTING_HEADINGS = {
    "category": gettext_lazy("Новини рубрики «%(name)s»"),
    "tag": gettext_lazy("Новини на тему «%(name)s»"),
    "author": gettext_lazy("Статті автора: %(name)s"),
}


def listing_description(kind: str, subject) -> str:
    """The same words the list page's meta description uses."""
    return str(LISTING_HEADINGS[kind]) % {"name": subject.name}


def listing_title(subject, page_number: int = 1) -> str:
    """As the list page's <title>: later pages name their number (the template's msgid), so
    shared links and search results tell page 2 from page 1."""
    if page_number <= 1:
        return f"{subject.name} — {settings.SITE_NAME}"
    page = _("сторінка %(number)s") % {"number": page_number}
    return f"{subject.name} — {page} — {settings.SITE_NAME}"


def listing_meta(kind: str, subject, page_number: int = 1) -> PageMeta:
    """A category, tag or author page: a collection (or a profile) inside the site."""
    url = absolute(subject.get_absolute_url())
    canonical = url if page_number <= 1 else f"{url}?page={page_number}"
    title = listing_title(subject, page_number)
    description = teaser(getattr(subject, "description", "") or getattr(subject, "bio", ""), 200)
    description = description or listing_description(kind, subject)
    picture = share_picture()
    if kind == "author":
        person = {"@type": "Person", "name": subject.name, "url": url}
        if subject.bio:
            person["description"] = subject.bio
        if subject.photo:
            person["image"] = absolute(subject.photo.url)
        page = {"@context": SCHEMA, "@type": "ProfilePage", "mainEntity": person}
    else:
        page = {"@context": SCHEMA, "@type": "CollectionPage"}
    page |= {
        "name": subject.name,
        "url": canonical,
        "description": description,
        "inLanguage": LANGUAGE,
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME, "url": home_url()},
    }
    return PageMeta(
        canonical=canonical,
        og=_og_common(title, description, canonical, "website", picture),
        twitter=_twitter(title, description, picture),
        json_ld=[page, breadcrumbs([_home_crumb(), (subject.name, url)])],
    )
