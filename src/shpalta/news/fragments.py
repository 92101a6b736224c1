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

Each process holds the HTML parts of the version it serves as they are, in a plain dictionary
(`_held`) in front of both caches: a cache get validates the key, takes a lock and unpickles,
about 20 us a part, a dozen parts a story page. The parts of an earlier version are let go when
the first part of a new one is held, and the dictionary never grows past HELD_MAX. Only values
no request can change are held (strings, and tuples, frozen sets and frozen dataclasses of
them: the live stories' ids, the «без реклами» lists, the ads' plan): others (the rubric
table, the newest stories' cards) come unpickled from a cache (the `local` one when Redis
holds the parts), a copy that a request may change without touching the next one's.
"""

import dataclasses
import time
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

VERSION_ATTRIBUTE = "shpalta_content_version"
PREFIX_ATTRIBUTE = "_shpalta_fragment_prefix"  # (version, the keys' beginning) for the request
LOCAL_CACHE = "local"  # the alias of this process's own copy, when the pages' cache is shared
HELD_MAX = 10_000  # parts held as they are, at most (about 2 kB each)


class Stored(NamedTuple):
    """A fragment in the shared cache, with the time it lapses there (for the local copy)."""

    lapses: float
    value: Any


class _Held(NamedTuple):
    token: str  # the version whose parts are held
    parts: dict  # key → Stored, the HTML as it is with the time it lapses


_held = _Held("", {})


def _hold(token: str, fragment_key: str, lapses: float, value) -> None:
    global _held
    held = _held
    if held.token != token or len(held.parts) >= HELD_MAX:
        held = _held = _Held(token, {})
    held.parts[fragment_key] = Stored(lapses, value)


def _unchangeable(value) -> bool:
    """Whether a value can be held as it is and handed to every request: strings, numbers,
    and tuples, frozen sets and frozen dataclasses made of them (the live stories' ids, the
    «без реклами» lists, the ads' plan). A list, a dict, a model instance (it hashes by its
    key, but a request may change it) gets a fresh copy from a cache each time."""
    if value is None or isinstance(value, (str, bytes, int, float)):
        return True
    if isinstance(value, (tuple, frozenset)):
        return all(_unchangeable(each) for each in value)
    if dataclasses.is_dataclass(value) and value.__dataclass_params__.frozen:
        return all(_unchangeable(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


def use_version(request, token: str) -> None:
    """Said by the caching middleware before the view runs: the content version in force."""
    setattr(request, VERSION_ATTRIBUTE, token)


def version_of(request) -> str | None:
    return getattr(request, VERSION_ATTRIBUTE, None) if request is not None else None


def timeout() -> int:
    return settings.SHPALTA_FRAGMENT_CACHE_SECONDS


def key(token: str, name: str, parts, prefix: str | None = None) -> str:
    shown = ":".join(str(part) for part in parts)
    return f"{prefix or _prefix(token)}{name}:{shown}"


def _prefix(token: str) -> str:
    # "part:", not the "fragment:" of the plain values stored before: a worker of the previous
    # release, still finishing requests during a reload, must not read a `Stored`.
    return f"part:{token}:{get_language()}:{get_current_timezone_name()}:"


def _request_prefix(request, token: str) -> str:
    """The keys' beginning for this request, worked out at its first fragment: a request's
    language and time zone are those of the site (no middleware of ours changes them, and
    nothing in a reader's request overrides them), and asking for them took half a key's
    cost, a dozen keys a story page."""
    held = getattr(request, PREFIX_ATTRIBUTE, None)
    if held is None or held[0] != token:
        held = (token, _prefix(token))
        setattr(request, PREFIX_ATTRIBUTE, held)
    return held[1]


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
    fragment_key = key(token, name, parts, _request_prefix(request, token))
    held = _held.parts.get(fragment_key)
    now = time.time()
    if held is not None and now < held.lapses:
        return held.value
    local = caches[LOCAL_CACHE] if LOCAL_CACHE in settings.CACHES else None
    if local is not None:
        value = local.get(fragment_key)
        if value is not None:
            return value
    stored = cache.get(fragment_key)
    if isinstance(stored, Stored):
        value, left = stored.value, stored.lapses - now
    else:
        value, left = render(), timeout()
        cache.set(fragment_key, Stored(now + left, value), left)
    if _unchangeable(value):
        if left > 0:
            _hold(token, fragment_key, now + left, value)
    elif local is not None and left >= 1:
        local.set(fragment_key, value, int(left))
    return value
