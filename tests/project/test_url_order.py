"""The reader pages' URLs come first in shpalta/urls.py (a story, the most requested address,
is then resolved at the first include): every address of the site resolves to the same view,
with the same arguments, as with them last, where they were before."""

import re
import types

from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

from shpalta import urls

SAMPLES = {"slug": "proba-slug", "int": "12", "path": "2024/05/foto.jpg", "str": "abc"}
# The admin's addresses are regular expressions, not routes: a few of them, written out.
ADMIN = ["/admin/", "/admin/login/", "/admin/news/article/", "/admin/news/article/12/change/"]


def routes(patterns, prefix=""):
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route


def sample(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)


def news_last():
    """The root URLs as they were: the reader pages' include after every other."""
    first, *rest = urls.urlpatterns
    assert first.urlconf_module.__name__ == "shpalta.news.urls", "the reader pages are not first"
    module = types.ModuleType("news_last_urls")
    module.urlpatterns = [*rest, first]
    return module


def test_every_address_resolves_as_with_the_reader_pages_last():
    before = news_last()
    paths = sorted({sample(route) for route in routes(get_resolver().url_patterns)}) + ADMIN
    assert "/novyny/proba-slug/" in paths and "/rubryka/proba-slug/feed/" in paths
    for path in paths + ["/", "/no-such-page/", "/novyny/proba-slug/feed/"]:
        now = _resolved(path)
        assert now == _resolved(path, before), path


def _resolved(path, urlconf=None):
    try:
        match = resolve(path, urlconf)
    except Exception as error:  # Resolver404: compared by kind
        return type(error).__name__
    return match._func_path, match.args, match.kwargs, match.view_name
