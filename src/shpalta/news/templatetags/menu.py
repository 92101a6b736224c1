"""`{% menu_items %}`: the menu's rubrics, the page's own marked; `{% current_rubric as
current %}`: which menu rubric the page belongs to (a rubric's own page, or a story in it or in
a rubric under it)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from shpalta.news import fragments, rubrics

register = template.Library()


@register.simple_tag(takes_context=True)
def current_rubric(context) -> int | None:
    """The top-level rubric id of the page's rubric or story; None elsewhere."""
    request = context.get("request")
    if request is None:
        return None
    if context.get("kind") == "category":
        rubric_id = context["subject"].pk
    elif context.get("article") is not None:
        rubric_id = context["article"].category_id
    else:
        return None
    return rubrics.for_request(request).top_of(rubric_id)


@register.simple_tag(takes_context=True)
def menu_items(context):
    """The menu's items: the same on every page of a rubric's stories, so kept per version and
    per mark (news/fragments.py). A page without a request (the 500 page) reads nothing."""
    current = current_rubric(context)
    # on the rubric's own page "page", on its stories' (and its sub-rubrics') "true"
    on_page = context.get("kind") == "category" and context["subject"].pk == current
    html = fragments.cached(
        context.get("request"),
        "menu",
        (current, on_page),
        lambda: render_to_string(
            "news/_menu.html",
            {
                "menu_categories": context.get("menu_categories", ()),
                "current": current,
                "on_page": on_page,
            },
        ).removesuffix("\n"),  # the file's last line end, not the menu's
    )
    return mark_safe(html)  # noqa: S308 - rendered from our template, escaped there
