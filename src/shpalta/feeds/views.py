"""Sitemap index and pages, the Google News sitemap and robots.txt."""

from datetime import UTC, timedelta
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from shpalta.caching import versioning
from shpalta.news.links import absolute
from shpalta.news.models import Article

from .sitemaps import SECTIONS
from .xmltext import xml_text

XML = "application/xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs from one news sitemap


def _w3c(moment) -> str:
    """W3C datetime in UTC (cheap: a sitemap page formats ten thousand of these)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _xml_response(parts: list[str], last_modified=None) -> HttpResponse:
    response = HttpResponse("".join(parts), content_type=XML)
    moment = last_modified or versioning.current().changed_at
    response["Last-Modified"] = http_date(moment.timestamp())
    response["X-Robots-Tag"] = "noindex"
    return response


def _loc(path: str) -> str:
    return escape(absolute(path))


def sitemap_index(request):
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<sitemapindex xmlns="{SITEMAP_NS}">\n']
    for name, section in SECTIONS.items():
        lastmods = section.page_lastmods()
        for page in range(1, section.page_count() + 1):
            url = reverse("feeds:sitemap-section", args=[name, page])
            lastmod = f"<lastmod>{_w3c(lastmods[page])}</lastmod>" if page in lastmods else ""
            parts.append(f"<sitemap><loc>{_loc(url)}</loc>{lastmod}</sitemap>\n")
    parts.append("</sitemapindex>\n")
    return _xml_response(parts)


def sitemap_section(request, section, page):
    source = SECTIONS.get(section)
    if source is None or not 1 <= page <= source.page_count():
        raise Http404("No such sitemap page.")
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<urlset xmlns="{SITEMAP_NS}">\n']
    newest = None
    for entry in source.entries(page):
        lastmod = ""
        if entry.lastmod is not None:
            lastmod = f"<lastmod>{_w3c(entry.lastmod)}</lastmod>"
            newest = entry.lastmod if newest is None else max(newest, entry.lastmod)
        parts.append(f"<url><loc>{escape(entry.loc)}</loc>{lastmod}</url>\n")
    parts.append("</urlset>\n")
    return _xml_response(parts, newest)


def news_sitemap(request):
    """Google News: the articles of the last 48 hours, newest first."""
    since = timezone.now() - NEWS_WINDOW
    recent = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .order_by("-published_at", "-id")
        .only("slug", "title", "published_at")[:NEWS_LIMIT]
    )
    name, language = escape(xml_text(settings.SITE_NAME)), "uk"
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n',
    ]
    for article in recent:
        parts.append(
            f"<url><loc>{_loc(article.get_absolute_url())}</loc><news:news>"
            f"<news:publication><news:name>{name}</news:name>"
            f"<news:language>{language}</news:language></news:publication>"
            f"<news:publication_date>{_w3c(article.published_at)}</news:publication_date>"
            f"<news:title>{escape(xml_text(article.title))}</news:title>"
            "</news:news></url>\n"
        )
    parts.append("</urlset>\n")
    return _xml_response(parts)


ROBOTS_DISALLOW = ("/admin/", "/peredohliad/", "/api/", "/search/")


def robots_txt(request):
    """Crawlers may read everything but the back office, previews, the API and search results."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {absolute(reverse('feeds:sitemap'))}"]
    lines += [f"Sitemap: {absolute(reverse('feeds:news-sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
