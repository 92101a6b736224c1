"""Whole-page caching for anonymous readers, keyed by the site's content version.

A reader page, feed or sitemap is rendered once per content version and then served from
Django's cache (local memory, or Redis on the scale path) until an edit changes the version or
the entry's time runs out (`SHPALTA_PAGE_CACHE_SECONDS`, which also bounds how stale blocks
fed by other data, such as "most read", may get). Editors, the admin, previews, the API and any
response that sets a cookie or uses a CSRF token are never stored.

A page that declares a cache scope while it renders (`caching.scopes`, a live story's page and
its update feed, the one part of the API stored here) is stored in two steps: under the site's
key a marker naming the scope, and the page itself under a key that adds the scope's token, so
a new live entry retires that story's pages and leaves the rest of the cache alone.

Every stored page carries an ETag and a Last-Modified (its render time), so a browser or a CDN
revalidates with a 304 through the conditional GET middleware (ops.conditional).

A hit is answered early by `PageCacheEdgeMiddleware`, which sits right after the conditional GET
middleware (so health checks, the NUL refusal, security headers and CSP, CORS and 304s all run
as for any page) and before sessions, authentication and everything else a hit does not need,
for requests that can only be anonymous: GET or HEAD, no session cookie, no Authorization
header. It also stores every page (`PageCacheMiddleware` decides what and under which key), as
the page leaves the middleware below it, so a page served early carries exactly the headers
that the whole stack gives it (Content-Length, Vary, X-Frame-Options).
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.handlers.exception import convert_exception_to_response
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from shpalta.news import fragments
from shpalta.ops.anonymous import is_reader_view
from shpalta.ops.conditional import set_etag

from . import scopes, versioning

SAFE_METHODS = {"GET", "HEAD"}
# Previews (never_cache, staff only) and /healthz (answered by the first middleware, never_cache)
# need no entry: _storable() already refuses them.
NEVER_CACHED = ("/admin/", "/static/", "/media/")
API = "/api/"  # stored only when the answer declares a cache scope
ALLOWED_VARY = {"cookie", "accept-language", "accept-encoding"}


def page_cache_enabled() -> bool:
    return getattr(settings, "SHPALTA_PAGE_CACHE", True)


def cache_key(request, token: str) -> str:
    """The host as the client sent it: a page is stored only after the whole stack has
    accepted the request (an unknown host is refused before), so no other host finds one."""
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"page:{token}:{get_language()}:{request.scheme}:{_raw_host(request)}:{path}"


def _raw_host(request) -> str:
    """`request.get_host()` without its ALLOWED_HOSTS check, a tenth of a hit's own cost."""
    meta = request.META
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in meta:
        return meta["HTTP_X_FORWARDED_HOST"]
    return meta.get("HTTP_HOST") or f"{meta['SERVER_NAME']}:{meta['SERVER_PORT']}"


def _version_and_stored(request):
    """The site's version, its key for this request and what is stored there. With the pages
    in a shared cache (Redis), one round trip fetches the change notice together with the
    page under the version this process last read, the version nearly every request has."""
    guess = versioning.remembered()
    if guess is None or not versioning.in_shared_cache():
        site = versioning.current().token
        key = cache_key(request, site)
        return site, key, cache.get(key)
    key = cache_key(request, guess.token)
    found = cache.get_many([versioning.NOTICE_KEY, key])
    site = versioning.noticed(found.get(versioning.NOTICE_KEY)).token
    if site == guess.token:
        return site, key, found.get(key)
    key = cache_key(request, site)
    return site, key, cache.get(key)


def _lookup(request, site: str, site_key: str | None = None, cached=None):
    """The stored page for this request under the site's version, following a scope marker:
    (page or None, the site's key, the key the page is stored under, the scope or None).
    `site_key`, `cached`: the site's key and what it holds, if the caller has read it."""
    if site_key is None:
        site_key = cache_key(request, site)
        cached = cache.get(site_key)
    scope = cached if isinstance(cached, ScopeMarker) else None
    key = cache_key(request, f"{site}:{scopes.token(scope)}") if scope else site_key
    if scope:
        cached = cache.get(key)
    return cached, site_key, key, scope


# Set on the request by the edge middleware: the version it read (PageCacheMiddleware reuses
# it) and where PageCacheMiddleware asks it to store the finished page.
EDGE = "_page_cache_edge"
PENDING = "_page_cache_pending"


class PageCacheEdgeMiddleware:
    """Answers hits for requests that can only be anonymous before the session, CSRF,
    authentication and old-address middleware run, and stores pages as the stack below it
    finishes them. Placed right after the conditional GET middleware.

    Such a request for a reader view (`ops.anonymous.reader_view`: a story page) that is not
    a hit (the page cache off, or a first view) goes through the middleware below but the
    authentication, messages and history middleware (`_reader_stack`), with the user Django's
    authentication gives a request without a session: anonymous. The session and CSRF
    middleware stay (a reader's malformed CSRF cookie is replaced, a token a view asks for
    is set); the answer is the one the whole stack gives, headers and all
    (tests/caching/test_reader_views_at_the_edge.py)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._reader = None

    def __call__(self, request):
        anonymous = self._only_anonymous(request)
        if page_cache_enabled():
            if anonymous:
                site, site_key, cached = _version_and_stored(request)
                if isinstance(cached, ScopeMarker):
                    cached = _lookup(request, site, site_key, cached)[0]
                if cached is not None:
                    cached["X-Page-Cache"] = "hit"
                    return cached
                setattr(request, EDGE, site)
            else:
                setattr(request, EDGE, None)
        response = self._as_reader(request) if anonymous else None
        if response is None:
            response = self.get_response(request)
        pending = getattr(request, PENDING, None)
        if pending is not None and response.status_code == 200 and not response.cookies:
            key, timeout = pending
            cache.set(key, response, timeout)
            response["X-Page-Cache"] = "miss"
        return response

    def _as_reader(self, request):
        """A reader view's answer through the reader's stack, or None (not a reader view)."""
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
        if not is_reader_view(match.func):
            return None
        if self._reader is None:
            self._reader = _reader_stack()
        request.user = AnonymousUser()  # what the authentication middleware gives it
        request.resolver_match = match
        response = self._reader(request)
        # The whole stack reads the (empty) session for every reader page, to learn that the
        # user is anonymous, and says so: Vary: Cookie, on an error page too.
        _vary_on_cookie(response)
        return response

    @staticmethod
    def _only_anonymous(request) -> bool:
        """No session, no credentials: nothing below could make this request an editor's.
        The home page with a query is left to the old-address redirects (`/?p=123`)."""
        return (
            request.method in SAFE_METHODS
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.path.startswith(NEVER_CACHED)
            and not (request.path_info == "/" and request.META.get("QUERY_STRING"))
        )


# What a reader view's request skips of the stack below the edge: with no session cookie and
# no credentials, these give an anonymous user (read lazily through the session), no messages
# and no history user. Any other middleware there (and any added later) runs as for any page.
NOT_FOR_READERS = {
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
}
EDGE_MIDDLEWARE = f"{__name__}.PageCacheEdgeMiddleware"


def _reader_stack():
    """The middleware below the edge but NOT_FOR_READERS, around the resolved view, each
    wrapped as Django's handler wraps it (an exception becomes its error page)."""
    below = settings.MIDDLEWARE[settings.MIDDLEWARE.index(EDGE_MIDDLEWARE) + 1 :]
    handler = convert_exception_to_response(_call_view)
    for path in reversed([path for path in below if path not in NOT_FOR_READERS]):
        handler = convert_exception_to_response(import_string(path)(handler))
    return handler


def _call_view(request):
    match = request.resolver_match
    response = match.func(request, *match.args, **match.kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()  # a TemplateResponse, as Django's handler renders it
    return response


class ScopeMarker(str):
    """Stored under the site's key of a scoped page: the scope whose token completes its key."""


class PageCacheMiddleware:
    """Sits after the session, locale and authentication middleware (it needs all three)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._reader_request(request):
            return self.get_response(request)
        # Read before the view reads any content: a fragment rendered from what it read can
        # then only be stored under this version or an older one, never a newer one. (Read
        # lazily, at the first fragment, an edit committed in between would be stored under
        # its own new version with the old content.) Neither cache on: no query at all.
        site = getattr(request, EDGE, None)
        if site is None and (page_cache_enabled() or fragments.timeout() > 0):
            site = versioning.current().token
        if site is not None:
            fragments.use_version(request, site)
        if request.user.is_authenticated:
            response = self.get_response(request)
            # An editor's view of a page must not be reused by a shared cache or by the same
            # browser after logging out.
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if not page_cache_enabled():
            response = self.get_response(request)
            if self._storable(request, response):
                self._stamp(response)
            return response
        cached, site_key, key, scope = _lookup(request, site)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if request.method == "GET" and self._storable(request, response):
            self._store(request, response, site_key, key, scope)
        return response

    def _store(self, request, response, site_key: str, key: str, scope: str | None) -> None:
        """A scope seen for the first time is only noted: its token must be read before the
        page renders, or an entry posted meanwhile could be stored under its successor."""
        self._stamp(response)
        declared = scopes.declared(request)
        timeout = settings.SHPALTA_PAGE_CACHE_SECONDS
        if declared == scope and hasattr(request, EDGE):
            setattr(request, PENDING, (key, timeout))  # stored by the edge, page finished
        elif declared == scope:
            cache.set(key, response, timeout)
            response["X-Page-Cache"] = "miss"
        elif declared is not None:
            cache.set(site_key, ScopeMarker(declared), timeout)
        else:
            cache.delete(site_key)  # no longer scoped: stored plainly from the next request

    @staticmethod
    def _reader_request(request) -> bool:
        if request.path.startswith(API) and request.user.is_authenticated:
            return False  # the API's answers to editors are the API's own business
        return request.method in SAFE_METHODS and not request.path.startswith(NEVER_CACHED)

    @staticmethod
    def _storable(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.path.startswith(API) and scopes.declared(request) is None:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False  # the page holds a CSRF token: it belongs to one visitor
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        control = response.get("Cache-Control", "").lower()
        if any(word in control for word in ("private", "no-store", "no-cache")):
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return vary <= ALLOWED_VARY

    @staticmethod
    def _stamp(response):
        """Validators and freshness for browsers and CDNs; a feed keeps its own Last-Modified.
        A page without Cache-Control or Vary (most) gets the values Django's patch functions
        would write, without their parsing (a tenth of an uncached story's middleware)."""
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = _http_now()
        if not response.has_header("ETag"):
            set_etag(response)
        if response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=settings.SHPALTA_HTTP_MAX_AGE)
        else:
            response["Cache-Control"] = f"public, max-age={settings.SHPALTA_HTTP_MAX_AGE}"
        _vary_on_cookie(response)


def _vary_on_cookie(response) -> None:
    if not response.has_header("Vary"):
        response["Vary"] = "Cookie"
    elif response["Vary"] != "Cookie":
        patch_vary_headers(response, ["Cookie"])


_http_date: tuple[int, str] = (0, "")


def _http_now() -> str:
    """`http_date()`, formatted once a second."""
    global _http_date
    second = int(time.time())
    held = _http_date
    if held[0] != second:
        held = _http_date = (second, http_date(second))
    return held[1]
