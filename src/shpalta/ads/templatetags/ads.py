"""Ad slots in the reader pages: `{% ad_slot "sidebar" %}`, `{% ad_body article %}` (the
story's text with the inline slot after paragraph N), `{% ad_between_cards forloop.counter %}`.

Each finds the page (article, rubric or tag list) in the template's context, so news'
templates pass nothing and import nothing of ads.

Everything a slot shows changes only with the site version (a creative, placement, «без
реклами» entry or banner photo saved moves it; schedules are ads.js's business), so the
inventory, the «без реклами» lists and each slot's markup are kept per version as fragments
(news/fragments.py): a page renders its slots without a query once the version's first page
has read them."""

import functools
import logging

from django import template
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe

from shpalta.news import fragments, stored
from shpalta.news.models import Article

from .. import banners, inline, selection
from ..models import Creative

register = template.Library()
log = logging.getLogger(__name__)

SCRIPT_ATTRIBUTE = "_shpalta_ads_script"
PLAN_ATTRIBUTE = "_shpalta_ads_plan"
SLOTS_ATTRIBUTE = "_shpalta_ads_story_slots"  # what the story page's slots carry


def _page(context) -> selection.Page | None:
    request = context.get("request")
    if request is None or context.get("preview"):
        # an editor's preview shows no ads; nor does a page rendered outside a request (an
        # e-mail, a test's render_to_string): slots are for readers' pages
        return None
    cached = getattr(request, "_shpalta_ads_page", None)
    if cached is not None:
        return cached
    article = context.get("article")
    kind, subject = context.get("kind"), context.get("subject")
    # Read whole once per version; without the fragment cache, a query for just this page.
    ad_free = (
        fragments.cached(request, "ads-free", (), selection.ad_free_lists)
        if fragments.enabled(request)
        else None
    )
    if isinstance(article, Article) and context.get("object_list") is None:
        # The story page's context holds its tags (news.views; the SEO tags read them too).
        tags = context.get("tags")
        tags = tags if isinstance(tags, list) else None
        page = selection.page_for(article=article, request=request, ad_free=ad_free, tags=tags)
    elif kind == "category":
        page = selection.page_for(rubric=subject, request=request, ad_free=ad_free)
    elif kind == "tag":
        page = selection.page_for(tag=subject)
    else:
        page = selection.page_for()
    if request is not None:
        request._shpalta_ads_page = page
    return page


def _inventory(request) -> selection.Inventory:
    """The placements and running creatives, read for this request (once)."""
    return selection.inventory(request)


def _plan(request) -> selection.Plan:
    """Which creatives each slot may carry: the version's, or worked out for this request."""
    found = getattr(request, PLAN_ATTRIBUTE, None) if request is not None else None
    if found is None:
        found = fragments.cached(
            # "-2": a Plan of tuples; a worker of the release before reads its own dict-based
            # plan under the same version from a shared cache during a reload
            request,
            "ads-plan-2",
            (),
            lambda: selection.plan(_inventory(request)),
        )
        if request is not None:
            setattr(request, PLAN_ATTRIBUTE, found)
    return found


def story_slots(request, article, tags) -> tuple:
    """What every slot of a story page carries, as the "ads" key part of its stored page's
    holes (news/stored.py): two stories of one version whose slots choose the same creatives
    show the same slots, byte for byte (the page's script aside: carried by the caller).
    Worked out once per request (one page, as `_page`): each of its four slot holes asks."""
    found = getattr(request, SLOTS_ATTRIBUTE, None)
    if found is not None:
        return found
    try:
        page = _page({"request": request, "article": article, "tags": tags})
        if page is None or page.ad_free:
            slots = ()
        else:
            plan = _plan(request)
            slots = tuple((key, *plan.chosen(key, page)) for key in plan.keys)
    except DatabaseError:  # the slots render (and leave themselves out) as without holding
        return None
    setattr(request, SLOTS_ATTRIBUTE, slots)
    return slots


def _creative_html(creative: Creative, placement) -> str:
    if creative.kind == Creative.Kind.HTML:
        return creative.html  # validated on save: scripts only from the configured hosts
    if creative.image_id is None:
        return ""
    return banners.banner_html(creative, placement)


def _timestamp(value) -> str:
    return str(int(value.timestamp())) if value else ""


def render_slot(context, key: str) -> str:
    """The slot's HTML, or "" where no creative may run; an ad never breaks the page (a 500
    page renders its header slot too, perhaps with the database down)."""
    try:
        return _render_slot(context, key)
    except DatabaseError:
        log.exception("ads: slot %s left out", key)
        stored.not_held(context.get("request"))  # shown again once the database answers
        return ""


def _render_slot(context, key: str) -> str:
    page = _page(context)
    if page is None or page.ad_free:
        return ""
    request = context.get("request")
    chosen = _plan(request).chosen(key, page)
    if not chosen:
        return ""
    html = fragments.cached(
        request, "ad-slot", (key, *chosen), lambda: _slot_html(request, key, page)
    )
    if not html:
        return ""
    if request is None or not getattr(request, SCRIPT_ATTRIBUTE, False):
        script = _script(get_script_prefix())
        slot, end, rest = html.rpartition("</div>")  # right after the slot's element
        html = f"{slot}{end}{script}{rest}"
        if request is not None:
            setattr(request, SCRIPT_ATTRIBUTE, True)
    return html


@functools.lru_cache(maxsize=8)  # a prefix comes from the request (SCRIPT_NAME): bounded
def _script(prefix: str) -> str:
    """The page's ads script: its address and the impression endpoint's are this process's
    for good (the static files' manifest, the URLs), under the deployment's script prefix;
    worked out once instead of on every page that shows a slot (a tenth of the slot)."""
    return (
        f'<script src="{static("ads/ads.js")}" '
        f'data-endpoint="{reverse("api:ad_impression")}" defer></script>'
    )


@receiver(setting_changed)
def _addresses_changed(setting, **kwargs) -> None:
    if setting in ("STATIC_URL", "STORAGES", "ROOT_URLCONF"):  # tests change them
        _script.cache_clear()


def _slot_html(request, key: str, page: selection.Page) -> str:
    """The slot's markup (the page's script is added by the caller)."""
    placement, creatives = selection.eligible(_inventory(request), key, page)
    candidates = [
        {
            "id": creative.pk,
            "weight": creative.weight,
            "starts": _timestamp(creative.starts_at),
            "ends": _timestamp(creative.ends_at),
            "html": mark_safe(html),  # noqa: S308 - ours (format_html) or validated
        }
        for creative in creatives
        if (html := _creative_html(creative, placement))
    ]
    if not candidates:
        return ""
    return render_to_string("ads/_slot.html", {"placement": placement, "candidates": candidates})


@register.simple_tag(takes_context=True)
def ad_slot(context, key: str):
    return mark_safe(render_slot(context, key))  # noqa: S308 - rendered from our template


def _placed(context, key: str) -> int | None:
    """Where the page's slot `key` goes (after paragraph or card N); None where it has none:
    no ads on this page, the placement off, or the ads' tables not answering (an ad never
    breaks the page)."""
    try:
        page = _page(context)
        if page is None or page.ad_free:
            return None
        return _plan(context.get("request")).position(key)
    except DatabaseError:
        log.exception("ads: slot %s left out", key)
        stored.not_held(context.get("request"))
        return None


@register.simple_tag(takes_context=True)
def ad_body(context, article):
    """The story's (sanitised) text, with the inline slot after paragraph N when it is long
    enough; otherwise the text as it is."""
    body = article.reader_body or ""  # library photos shown through renditions
    position = _placed(context, "inline")
    parts = inline.split_after_paragraph(body, position) if position is not None else None
    if parts is None:
        return mark_safe(body)  # noqa: S308 - sanitised on save (text/sanitise.py)
    slot = render_slot(context, "inline")
    return mark_safe(parts[0] + slot + parts[1])  # noqa: S308 - as above


@register.simple_tag(takes_context=True)
def ad_between_cards(context, counter: int):
    """The list slot after card N (N from the placement)."""
    position = _placed(context, "list")
    if position is None or counter != position:
        return ""
    return mark_safe(render_slot(context, "list"))  # noqa: S308 - as ad_slot
