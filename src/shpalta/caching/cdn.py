"""Purging a CDN (or a caching proxy) when a public article changes.

Pages carry `Cache-Control: max-age=SHPALTA_HTTP_MAX_AGE` and validators, so a CDN would
notice a change within that time anyway; purging makes a correction or a withdrawn story
disappear from the edge at once. The purge is an HTTP `PURGE` of each affected path, which
Fastly, Varnish and nginx (proxy_cache_purge) understand, sent to SHPALTA_CDN_PURGE_URL with
the site's Host header. It runs as a background task after the saving transaction commits.
"""

import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django_tasks import task

log = logging.getLogger(__name__)

SITE_WIDE = ["news:home", "feeds:rss", "feeds:atom", "feeds:news-sitemap"]  # URL names
TIMEOUT_SECONDS = 5


def enabled() -> bool:
    return bool(getattr(settings, "SHPALTA_CDN_PURGE_URL", ""))


def paths_for(article) -> list[str]:
    """The article's page and every list that shows it."""
    paths = [article.get_absolute_url(), *(reverse(name) for name in SITE_WIDE)]
    if article.category_id:
        paths.append(article.category.get_absolute_url())
    paths += [tag.get_absolute_url() for tag in article.tags.all()]
    paths += [author.get_absolute_url() for author in article.authors.all()]
    paths += [reverse("news:article", args=[old.slug]) for old in article.old_slugs.all()]
    return list(dict.fromkeys(paths))


def purge_later(paths: list[str]) -> None:
    if enabled() and paths:
        transaction.on_commit(lambda: purge.enqueue(paths))


@task()
def purge(paths: list[str]) -> dict:
    """PURGE each path at the CDN; a failure is logged and counted, the rest still go."""
    base = settings.SHPALTA_CDN_PURGE_URL.rstrip("/")
    if urlsplit(base).scheme not in ("http", "https"):
        raise ValueError(f"SHPALTA_CDN_PURGE_URL={base!r}: an http:// or https:// URL")
    host = urlsplit(settings.SITE_URL).netloc
    done = {"purged": 0, "failed": 0}
    for path in paths:
        url = base + path  # http(s) only, checked above
        request = urllib.request.Request(url, method="PURGE", headers={"Host": host})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):  # noqa: S310
                pass
        except urllib.error.HTTPError as error:
            if error.code != 404:  # 404: the CDN held no copy, which is fine
                log.warning("CDN purge of %s answered %s", path, error.code)
                done["failed"] += 1
                continue
        except OSError as error:
            log.warning("CDN purge of %s failed: %s", path, error)
            done["failed"] += 1
            continue
        done["purged"] += 1
    return done
