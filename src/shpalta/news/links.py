"""Absolute links on SITE_URL, the one public address of the site.

Canonical links, Open Graph, feeds, sitemaps and robots.txt all name pages by SITE_URL, never
by the request's scheme and host, which behind a proxy may be internal ones.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

# Django's `slug` path converter, which the story, rubric, tag and author routes use.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_STAND_IN = "slug-stand-in"


def absolute(path: str) -> str:
    """`path` on SITE_URL; a URL already absolute (media on another host, say) stays as it is."""
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path


@lru_cache(maxsize=64)
def _around_slug(name: str, resolver, script_prefix: str) -> tuple[str, str]:
    """The route's address before and after its slug. The key holds the URL resolver (a new
    one whenever the URLconf changes: another for a request that sets its own, a new one after
    a test overrides ROOT_URLCONF) and the script prefix that reverse() reads."""
    whole = reverse(name, args=[_STAND_IN], urlconf=resolver.urlconf_name)
    head, tail = whole.split(_STAND_IN)
    return head, tail


@lru_cache(maxsize=64)
def _fixed(name: str, resolver, script_prefix: str) -> str:
    """A route without arguments; keyed as `_around_slug` is."""
    return reverse(name, urlconf=resolver.urlconf_name)


def route_path(name: str) -> str:
    """`reverse(name)` for a route without arguments (the home page, named on every page's
    metadata three times), resolved once per URLconf and script prefix."""
    return _fixed(name, get_resolver(get_urlconf()), get_script_prefix())


def slug_path(name: str, slug: str) -> str:
    """`reverse(name, args=[slug])` for a route whose one argument is a slug, without
    resolving the route again for each of the dozens of links on a page. A slug the route
    would not take goes to reverse(), which refuses it as before."""
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        return reverse(name, args=[slug])
    head, tail = _around_slug(name, get_resolver(get_urlconf()), get_script_prefix())
    return f"{head}{slug}{tail}"
