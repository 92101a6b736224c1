"""`{% fragment "card" article.pk big with_teaser %}…{% endfragment %}`: a cached part of a
page, keyed by the content version and by what it shows (news/fragments.py)."""

from django import template
from django.utils.safestring import mark_safe

from shpalta.news import fragments, stored

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist, self.name, self.parts = nodelist, name, parts

    def render(self, context):
        parts = [part.resolve(context) for part in self.parts]
        request = context.get("request")
        html = fragments.cached(
            request, self.name.resolve(context), parts, lambda: self.nodelist.render(context)
        )
        return mark_safe(html)  # noqa: S308 - rendered by this template, escaped there


@register.tag("fragment")
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment NAME [WHAT IT SHOWS …] %}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )


class HoleNode(template.Node):
    """A part of a stored story page rendered per request (news/stored.py): rendered as it is,
    but left as a mark while the page is rendered for keeping."""

    def __init__(self, nodelist, name: str):
        self.nodelist, self.name = nodelist, name
        stored.register_hole(name, self)

    def render(self, context):
        mark = stored.recorded(context, self.name)
        return self.nodelist.render(context) if mark is None else mark


@register.tag("hole")
def hole(parser, token):
    """`{% hole "name" %}…{% endhole %}`: the name is a constant, unique among the templates."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% hole "NAME" %}')
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(nodelist, bits[1][1:-1])
