"""Fragment caching for the parts of a page many pages share: cards and blocks.

A page's cards and blocks are rendered again for every page that shows them (the same story
card on the home page, its rubric page and a hundred «Більше подібного» lists). A fragment is
stored once per content version: the caching app reads the site's version at the start of
each reader request and hands its token over with `use_version()` (news may not import
caching: it is the layer above). Any save of a story, rubric, tag or author, a related list
recomputed or a scheduled story going out changes the version (changes/receivers.py), so a
fragment can never outlive what it shows; a request without a version (the middleware did
not run) renders everything as before.

The key holds the version, the fragment's name, what it shows (the story's id, the card's
variant) and the language and time zone that dates are written in.

With the cache shared between processes (Redis), each process also keeps what it read in its
own memory (the `local` cache, settings.CACHES): a key never changes what it holds, so the
copy is never stale, and a story page's dozen fragments cost no round trip each (17 Redis
calls per uncached page before). The copy lapses when the shared entry does, so
SHPALTA_FRAGMENT_CACHE_SECONDS still bounds how long a part lives.
"""

import time
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

VERSION_ATTRIBUTE = "shpalta_content_version"
LOCAL_CACHE = "local"  # the alias of this process's own copy, when the pages' cache is shared


class Stored(NamedTuple):
    """A fragment in the shared cache, with the time it lapses there (for the local copy)."""

    lapses: float
    value: Any


def use_version(request, token: str) -> None:
    """Said by the caching middleware before the view runs: the content version in force."""
    setattr(request, VERSION_ATTRIBUTE, token)


def version_of(request) -> str | None:
    return getattr(request, VERSION_ATTRIBUTE, None) if request is not None else None


def timeout() -> int:
    return settings.SHPALTA_FRAGMENT_CACHE_SECONDS


def key(token: str, name: str, parts) -> str:
    shown = ":".join(str(part) for part in parts)
    # "part:", not the "fragment:" of the plain values stored before: a worker of the previous
    # release, still finishing requests during a reload, must not read a `Stored`.
    return f"part:{token}:{get_language()}:{get_current_timezone_name()}:{name}:{shown}"


def enabled(request) -> bool:
    """Whether this request may reuse what was stored under its version."""
    return version_of(request) is not None and timeout() > 0


def cached(request, name: str, parts, render):
    """The fragment `name` showing `parts`, from the cache or `render()` and stored.

    Mostly HTML; any picklable value other than None may be kept the same way (what a block
    reads once per version: the ad inventory, the rubric tree)."""
    token = version_of(request)
    if token is None or timeout() <= 0:
        return render()
    fragment_key = key(token, name, parts)
    local = caches[LOCAL_CACHE] if LOCAL_CACHE in settings.CACHES else None
    if local is not None:
        value = local.get(fragment_key)
        if value is not None:
            return value
    stored = cache.get(fragment_key)
    if isinstance(stored, Stored):
        value, left = stored.value, stored.lapses - time.time()
    else:
        value, left = render(), timeout()
        cache.set(fragment_key, Stored(time.time() + left, value), left)
    if local is not None and left >= 1:
        local.set(fragment_key, value, int(left))
    return value
