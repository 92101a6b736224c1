"""Story pages kept as rendered, with holes for what the rest of the site puts on them.

Most of a story page is the story itself: its headline, byline, cover, metadata, JSON-LD,
tags and share links, some twenty template tags and two dozen translations. Rendering them is
most of an uncached page's cost, and a long archive is read mostly uncached: a story found by
search or a social link was not in anybody's page cache. They change only when the story is
saved, so the page is rendered once and kept in the database beside the story (`StoryPage`);
what the rest of the site shows on it changes with every publish, so it is left out as holes
(`{% hole "name" %}…{% endhole %}` in the templates: the menu, the «Терміново» strip and the ad
slots, the story's body with its inline ad and live coverage, «Популярне», «Більше подібного»,
the footer's year) and rendered per request, from the same template nodes, in the same context.
Served, the page is byte for byte what a whole render gives. A hole that names what its output
depends on besides the content version (`{% hole "top" by "ads" %}`: key parts, registered by
the apps that know them through `key_part`) is held by each process for the version and taken
for every story whose parts are equal: the menu, the ad slots, an empty live block are the same
on most of the archive.

A hole that is the story's own but changes far less often than the site version is kept in
the page's row as well (`{% hole "related" kept "related" %}`: «Більше подібного»), with the
value of its key part it was rendered for, and used while the part gives the same value (for
the related block: the list's live articles and their last saves, one indexed query).

A kept page is used while its stamp is the one wanted now:

- the release: this code, its templates, translations and static files' names, the settings a
  page shows (a deploy renders each story again at its next view, as a new version does);
- the generation (`StoryPageGeneration`): raised by the changes app when a rubric, tag, author
  or library photo is edited or deleted, which every stored page may show;
- the story's last save (`updated_at`); a change of its tags or authors, or a bulk save, drops
  its row (changes/receivers.py).

The row is read in the story's own query, joined to the published story, so drafts, scheduled
and unpublished stories never come from here. An editor's preview, a request without the site
version (the caching middleware did not run), DEBUG (templates change under a running server)
and a reader in another language or time zone get a whole render, as before.
"""

import dataclasses
import hashlib
import json
import logging
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import NamedTuple

import django
from django.conf import settings
from django.db import DatabaseError, router
from django.template import Context, engines
from django.template.context import make_context
from django.template.loader_tags import ExtendsNode
from django.utils import timezone
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from shpalta.ops.writes import regenerable

from . import fragments
from .models import Article, StoryPage, StoryPageGeneration

log = logging.getLogger(__name__)

RECORDING = "_shpalta_recording_holes"  # in the context while a page is rendered for keeping
# Around a hole's name in a kept page: a private-use character, which no text of ours holds (a
# page that holds one anyway is not kept); not NUL, which PostgreSQL's text refuses.
MARK = "\ue000"
GENERATION_ROW = 1

_holes: dict[str, object] = {}  # name → the template node whose content fills the hole
HELD_MAX = 10_000  # holes' outputs held per process, at most
_templates: dict[str, object] = {}  # name → the compiled template (no DEBUG: never reloaded)
_release: str | None = None
_kept: tuple[str, int] = ("", 0)  # (content version, generation read under it)


def register_hole(name: str, node) -> None:
    """Said by `{% hole %}` when a template is compiled."""
    _holes[name] = node


class KeyPart(NamedTuple):
    """What a hole's output depends on beyond the site version (`{% hole "top" by "ads" %}`).

    `of(request, article, tags)` gives a hashable value: two story pages of one version with
    equal values get the same output, byte for byte; None says this page's output is its own
    (rendered, not held). `carries` names the request's attributes that rendering the hole may
    set for the parts after it (the ads' script, written once per page): their values before
    are part of the key, their values after are held with the output and set again.

    A part named by a kept hole (`{% hole "related" kept "related" %}`) gives a string (or
    None): the story's own part, kept in its page's row while the string is the same, so it
    must change with anything the hole shows that the page's stamp does not cover."""

    of: Callable[..., Hashable | None]
    carries: tuple[str, ...] = ()


_key_parts: dict[str, KeyPart] = {}
UNHELD = "_shpalta_hole_unheld"  # on the request: the hole being rendered must not be held


class TagId(NamedTuple):
    """A story's tag as a kept page's holes see it: its id, all the ads' targeting reads (a
    `Tag` instance costs a model's construction and its init signals, per tag per page)."""

    pk: int


class _Filled(NamedTuple):
    token: str  # the content version whose holes' outputs are held
    outputs: dict  # (hole, key parts' values, carried values) → (html, carried values after)


_filled = _Filled("", {})


def not_held(request) -> None:
    """Said by a part that could not show what it should on this request (an ad slot left out
    when the database failed): the hole it is in is rendered, not held for the version."""
    if request is not None:
        setattr(request, UNHELD, True)


def key_part(name: str, of, carries=()) -> None:
    """Said by the app a key part comes from (ads' targeting, live coverage), when it is ready:
    news cannot import the apps above it."""
    _key_parts[name] = KeyPart(of, tuple(carries))
    _node_parts.clear()


_node_parts: dict[int, tuple] = {}  # id(hole node) → (its key parts, the attributes they carry)


def _parts_of(node) -> tuple[tuple, tuple]:
    """A hole's key parts (empty when it has none, or one's app is not installed) and the
    request attributes they carry, worked out once per node (news/templatetags/fragments.py
    registers a node for good: templates are compiled once)."""
    found = _node_parts.get(id(node))
    if found is None or found[0] is not node:
        used = tuple(_key_parts.get(name) for name in node.by)
        if None in used:
            used = ()
        carried = tuple(attribute for part in used for attribute in part.carries)
        found = _node_parts[id(node)] = (node, used, carried)
    return found[1], found[2]


# News' own: the story's rubric (which menu item is marked), the year in the footer.
key_part("rubric", lambda request, article, tags: article.category_id)
key_part("year", lambda request, article, tags: timezone.localtime().year)


def recorded(context, name: str) -> str | None:
    """While a page is rendered for keeping: the mark that leaves the hole `name` out, noted
    in the page's list of holes. Otherwise None (the hole is rendered as it is)."""
    holes = context.get(RECORDING)
    if holes is None:
        return None
    holes.append(name)
    return f"{MARK}{name}{MARK}"


def release() -> str:
    """What every kept page was rendered by: a digest of this package's files (code,
    templates, translations, static files), the static manifest, Django's version and the
    settings a page shows (SHOWN_SETTINGS). Worked out once per process."""
    global _release
    if _release is None:
        digest = hashlib.sha256(django.__version__.encode())
        package = Path(__file__).resolve().parents[1]
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(package)).encode())
                digest.update(path.read_bytes())
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if manifest.is_file():
            digest.update(manifest.read_bytes())
        for name in SHOWN_SETTINGS:  # (a digest: no secret in STORAGES can be read back)
            digest.update(f"{name}={getattr(settings, name, None)!r}".encode())
        _release = digest.hexdigest()[:16]
    return _release


# What a story page's own part shows of the settings: the site's name and address, where static
# files and photos are served from, the language and time zone its dates are written in.
SHOWN_SETTINGS = (
    "SITE_NAME", "SITE_URL", "STATIC_URL", "MEDIA_URL", "STORAGES", "TIME_ZONE",
    "LANGUAGE_CODE", "USE_TZ",
)  # fmt: skip


def enabled(request) -> bool:
    """Whether this request may be served from, and keep, stored story pages."""
    return (
        settings.SHPALTA_STORED_PAGES
        and not settings.DEBUG
        and fragments.version_of(request) is not None
        and get_language() == settings.LANGUAGE_CODE
        and get_current_timezone_name() == settings.TIME_ZONE
    )


def generation(request) -> int:
    """The stored pages' generation, read once per content version in each process: every
    change that raises it also changes the version."""
    global _kept
    token = fragments.version_of(request) or ""
    kept = _kept
    if kept[0] != token or not token:
        row = StoryPageGeneration.objects.filter(pk=GENERATION_ROW).values_list("number")
        number = row[0][0] if row else 0
        kept = _kept = (token, number)
    return kept[1]


def retire_all() -> None:
    """Every stored page is rendered again at its next view (inside the caller's
    transaction; the caller changes the site version too)."""
    updated = StoryPageGeneration.objects.filter(pk=GENERATION_ROW).update(
        number=django.db.models.F("number") + 1
    )
    if not updated:
        StoryPageGeneration.objects.get_or_create(pk=GENERATION_ROW, defaults={"number": 1})


def retire(article_ids) -> None:
    """These stories' pages are rendered again at their next view."""
    StoryPage.objects.filter(article_id__in=list(article_ids)).delete()


def not_kept():
    """The published stories that have no kept page for this release and generation (one
    kept before a story's last save is found at its next view)."""
    row = StoryPageGeneration.objects.filter(pk=GENERATION_ROW).values_list("number")
    prefix = f"{release()}:{row[0][0] if row else 0}:"
    return (
        Article.objects.published()
        .exclude(stored_page__stamp__startswith=prefix)
        .only("slug")
        .order_by("-published_at")
    )


def stamp(request, article) -> str:
    return stamp_of(request, article.updated_at)


def stamp_of(request, updated_at) -> str:
    """What a part written from a story saved at `updated_at` is valid for (a kept page, a
    «Більше подібного» item): this release, this generation, that save."""
    return stamp_prefix(request) + updated_at.isoformat()


def stamp_prefix(request) -> str:
    """`stamp_of` but the save: worked out once for the many items of a list."""
    return f"{release()}:{generation(request)}:"


def _template(name: str):
    """The compiled template, and the ones it extends: their holes are then registered before
    a kept page is filled (a new process may serve one before it has rendered any page)."""
    found = _templates.get(name)
    if found is None:
        engine = engines["django"].engine
        found = engine.get_template(name)
        parent = found
        while extends := parent.nodelist.get_nodes_by_type(ExtendsNode):
            parent = engine.get_template(extends[0].parent_name.resolve(Context()))
        _templates[name] = found
    return found


def _kept_page(article) -> StoryPage | None:
    try:
        return article.stored_page
    except StoryPage.DoesNotExist:
        return None


@dataclasses.dataclass(slots=True)
class Kept:
    """A story's kept page as a view reads it with the story (`StoryPage`'s fields, in
    KEPT_PAGE_FIELDS' order): the page is only read here, a model instance cost its init."""

    article_id: int
    stamp: str
    html: str
    body: str
    tag_ids: str
    parts: str


KEPT_PAGE_FIELDS = tuple(field.name for field in dataclasses.fields(Kept))[1:]


def kept(request, article, found: Kept | None, template_name: str) -> str | None:
    """The story's kept page (`found`, read with it) with its holes filled for this request,
    or None when none is kept for what it shows now (the caller then reads the story whole
    and calls `page`)."""
    if found is None or found.stamp != stamp(request, article):
        return None
    return fill(request, article, _template(template_name), found)


def page(request, article, template_name: str, context) -> str:
    """The story's page: its kept part with the holes filled in for this request, or
    rendered whole (and kept) when there is none for what it shows now. `context` makes the
    view's context; it is called only when the page is rendered whole."""
    template = _template(template_name)
    wanted = stamp(request, article)
    kept = _kept_page(article)
    if kept is not None and kept.stamp == wanted:
        filled = fill(request, article, template, kept)
        if filled is not None:
            return filled
    kept = _record(request, article, template, context())
    if kept is None:  # could not be kept: rendered whole, as without stored pages
        return template.render(make_context(context(), request))
    kept.stamp = wanted
    filled = fill(request, article, template, kept, write=False)  # its kept holes' outputs
    _keep(kept)  # ... kept with it, in one write
    return filled


def _record(request, article, template, context: dict) -> StoryPage | None:
    """The page rendered with its holes left as marks, or None where that cannot be kept
    (a mark in the story's own text would take a hole's place)."""
    tags, holes = list(context.get("tags") or ()), []
    html = template.render(make_context(context | {"tags": tags, RECORDING: holes}, request))
    if html.split(MARK)[1::2] != holes or html.count(MARK) != 2 * len(holes):
        log.warning("story %s: its text holds a hole's mark; its page is not kept", article.pk)
        return None
    return StoryPage(
        article=article,
        html=html,
        body=article.reader_body or "",
        tag_ids=",".join(str(tag.pk) for tag in tags),
    )


def _keep(kept: StoryPage) -> None:
    """Insert or replace the row; a failure to write (a read-only replica, a lock) costs the
    next view a render, never this page. Committed without waiting for the disk: a copy the
    next view renders again if a crash loses it (ops.writes)."""
    try:
        with regenerable(router.db_for_write(StoryPage)):
            StoryPage.objects.bulk_create(
                [kept],
                update_conflicts=True,
                unique_fields=["article"],
                update_fields=["stamp", "html", "body", "tag_ids", "parts"],
            )
    except DatabaseError:
        log.warning("story %s: its page could not be kept", kept.article_id, exc_info=True)


def fill(request, article, template, kept: StoryPage | Kept, write: bool = True) -> str | None:
    """The kept page with each hole rendered for this request, in page order, from the
    template's own nodes in the context a whole render gives them, or taken from the output
    held for another story with the same key parts (`_hole`) or kept in the page's own row
    (`_kept_hole`); None if a hole is one these templates do not have. A kept hole rendered
    again is written back to the row (`write`), or left in `kept.parts` for the caller's."""
    parts = kept.html.split(MARK)
    if not _holes.keys() >= set(parts[1::2]):
        return None
    article.__dict__["reader_body"] = kept.body  # the story's text as readers get it
    tags = [TagId(int(pk)) for pk in kept.tag_ids.split(",") if pk]  # for the ads' targeting
    context = make_context({"article": article, "tags": tags}, request)
    global _filled
    token = fragments.version_of(request) or ""
    filled = _filled  # read once: another thread may put a new version's in its place
    if filled.token != token or len(filled.outputs) >= HELD_MAX:
        filled = _filled = _Filled(token, {})
    outputs = filled.outputs
    own = _Own(kept)
    with context.render_context.push_state(template), context.bind_template(template):
        context.template_name = template.name
        for index in range(1, len(parts), 2):
            node = _holes[parts[index]]
            if node.kept is None:
                parts[index] = _hole(node, context, request, article, tags, outputs)
            else:
                parts[index] = _kept_hole(node, context, request, article, tags, own)
    if own.changed:
        kept.parts = json.dumps(own.outputs, ensure_ascii=False)
        if write:
            _keep_parts(kept)
    return "".join(parts)


class _Own:
    """A page's kept holes' outputs (`StoryPage.parts`), read at its first kept hole."""

    def __init__(self, kept: StoryPage | Kept):
        self.kept, self.changed, self._outputs = kept, False, None

    @property
    def outputs(self) -> dict:
        if self._outputs is None:
            try:
                self._outputs = json.loads(self.kept.parts) if self.kept.parts else {}
            except ValueError:
                self._outputs = {}
        return self._outputs


def _kept_hole(node, context, request, article, tags, own: _Own) -> str:
    """A kept hole's output: the one in the page's row while its key part's value is the one
    it was rendered for, else rendered (and kept, unless a part of it was left out for now)."""
    part = _key_parts.get(node.kept)
    value = part.of(request, article, tags) if part is not None else None
    if value is None:  # the app is not installed, or cannot say now: rendered, not kept
        return node.nodelist.render(context)
    held = own.outputs.get(node.name)
    if held is not None and held[0] == value:
        return held[1]
    request.__dict__.pop(UNHELD, None)
    html = node.nodelist.render(context)
    if not request.__dict__.pop(UNHELD, False):
        own.outputs[node.name] = [value, str(html)]
        own.changed = True
    return html


def _keep_parts(kept: StoryPage | Kept) -> None:
    """Write a page's kept holes' outputs back to its row, if it still holds the page they
    were rendered for (committed without waiting for the disk, as the page is: ops.writes)."""
    try:
        with regenerable(router.db_for_write(StoryPage)):
            StoryPage.objects.filter(article_id=kept.article_id, stamp=kept.stamp).update(
                parts=kept.parts
            )
    except DatabaseError:
        log.warning("story %s: its page's parts could not be kept", kept.article_id, exc_info=True)


def _hole(node, context, request, article, tags, outputs: dict) -> str:
    """A hole's output: held for its key parts' values in this version, else rendered (and
    held when it has key parts and they all have a value)."""
    used, carried = _parts_of(node)
    if not used:  # no key parts, or one whose app is not installed
        return node.nodelist.render(context)
    values = tuple([part.of(request, article, tags) for part in used])
    if None in values:
        return node.nodelist.render(context)
    key = (node.name, values, tuple([getattr(request, name, None) for name in carried]))
    held = outputs.get(key)
    if held is None:
        request.__dict__.pop(UNHELD, None)
        html = node.nodelist.render(context)
        if request.__dict__.pop(UNHELD, False):  # a part left out for now: not for the version
            return html
        outputs[key] = (html, tuple(getattr(request, name, None) for name in carried))
        return html
    html, after = held
    for name, value in zip(carried, after, strict=True):
        if value is not None:
            setattr(request, name, value)
    return html
