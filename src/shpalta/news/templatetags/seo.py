"""{% seo_meta "article" %} (or "home", "listing"): a page's Open Graph, Twitter and JSON-LD."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from shpalta.news import metadata

register = template.Library()


def _escaped(value) -> str:
    """Django's conditional_escape without its lazy-string wrapper (a tenth of a story page's
    metadata cost): safe strings as they are, anything else through the same html.escape."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def _tag(template: str, *values) -> str:
    return template.format(*(_escaped(v) for v in values))


def _meta_for(kind: str, context) -> metadata.PageMeta:
    if kind == "article":
        article = context["article"]
        authors = context.get("authors")
        tags = context.get("tags")
        authors = list(article.authors.all()) if authors is None else authors
        tags = list(article.tags.all()) if tags is None else tags
        return metadata.article_meta(article, authors, tags)
    if kind == "listing":
        page = context.get("page_obj")
        number = page.number if page else 1
        return metadata.listing_meta(context["kind"], context["subject"], number)
    return metadata.home_meta()


@register.simple_tag(takes_context=True)
def seo_meta(context, kind: str = "home", canonical: bool = False):
    """`canonical=True` also emits the canonical link, for templates that have none.

    Written here rather than by a template: some thirty tags on every page, each value
    escaped as the template's autoescape (and format_html) would."""
    meta = _meta_for(kind, context)
    lines = ['<meta name="robots" content="max-image-preview:large">\n']
    if canonical:
        lines.append(_tag('<link rel="canonical" href="{}">\n', meta.canonical))
    lines += [_tag('<meta property="{}" content="{}">\n', *pair) for pair in meta.og]
    lines += [_tag('<meta name="{}" content="{}">\n', *pair) for pair in meta.twitter]
    lines += [
        _tag('<script type="application/ld+json">{}</script>\n', metadata.script_json(item))
        for item in meta.json_ld
    ]
    return mark_safe("".join(lines) + "\n")  # noqa: S308 - each part escaped just above
