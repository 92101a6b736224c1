"""Ad slots in the reader pages: `{% ad_slot "sidebar" %}`, `{% ad_body article %}` (the
story's text with the inline slot after paragraph N), `{% ad_between_cards forloop.counter %}`.

Each finds the page (article, rubric or tag list) in the template's context, so news'
templates pass nothing and import nothing of ads."""

import logging

from django import template
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe

from shpalta.news.models import Article

from .. import banners, inline, selection
from ..models import Creative

register = template.Library()
log = logging.getLogger(__name__)

SCRIPT_ATTRIBUTE = "_shpalta_ads_script"


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
    if isinstance(article, Article) and context.get("object_list") is None:
        page = selection.page_for(article=article, request=request)
    elif kind == "category":
        page = selection.page_for(rubric=subject, request=request)
    elif kind == "tag":
        page = selection.page_for(tag=subject)
    else:
        page = selection.page_for()
    if request is not None:
        request._shpalta_ads_page = page
    return page


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
        return ""


def _render_slot(context, key: str) -> str:
    page = _page(context)
    if page is None or page.ad_free:
        return ""
    request = context.get("request")
    placement, creatives = selection.eligible(selection.inventory(request), key, page)
    if placement is None or not creatives:
        return ""
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
    script = ""
    if request is None or not getattr(request, SCRIPT_ATTRIBUTE, False):
        script = (
            f'<script src="{static("ads/ads.js")}" '
            f'data-endpoint="{reverse("api:ad_impression")}" defer></script>'
        )
        if request is not None:
            setattr(request, SCRIPT_ATTRIBUTE, True)
    html = render_to_string(
        "ads/_slot.html", {"placement": placement, "candidates": candidates, "script": script}
    )
    return html


@register.simple_tag(takes_context=True)
def ad_slot(context, key: str):
    return mark_safe(render_slot(context, key))  # noqa: S308 - rendered from our template


@register.simple_tag(takes_context=True)
def ad_body(context, article):
    """The story's (sanitised) text, with the inline slot after paragraph N when it is long
    enough; otherwise the text as it is."""
    body = article.reader_body or ""  # library photos shown through renditions
    page = _page(context)
    if page is None or page.ad_free:
        return mark_safe(body)  # noqa: S308 - sanitised on save (text/sanitise.py)
    placement = selection.inventory(context.get("request")).placements.get("inline")
    parts = inline.split_after_paragraph(body, placement.position) if placement else None
    if parts is None:
        return mark_safe(body)  # noqa: S308 - as above
    slot = render_slot(context, "inline")
    return mark_safe(parts[0] + slot + parts[1])  # noqa: S308 - as above


@register.simple_tag(takes_context=True)
def ad_between_cards(context, counter: int):
    """The list slot after card N (N from the placement)."""
    if _page(context) is None:
        return ""
    placement = selection.inventory(context.get("request")).placements.get("list")
    if placement is None or counter != placement.position:
        return ""
    return mark_safe(render_slot(context, "list"))  # noqa: S308 - as ad_slot
