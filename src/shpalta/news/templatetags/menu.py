"""`{% current_rubric as current %}`: which menu rubric the page belongs to, so the menu
can mark it (a rubric's own page, or a story in it or in a rubric under it)."""

from django import template

from shpalta.news import rubrics

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
