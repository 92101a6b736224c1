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

    def __init__(self, nodelist, name: str, by: tuple[str, ...] = ()):
        self.nodelist, self.name, self.by = nodelist, name, by
        stored.register_hole(name, self)

    def render(self, context):
        mark = stored.recorded(context, self.name)
        return self.nodelist.render(context) if mark is None else mark


@register.tag("hole")
def hole(parser, token):
    """`{% hole "name" %}…{% endhole %}`: the name is a constant, unique among the templates.

    `{% hole "name" by "part" … %}` says what else than the site version the hole's output
    depends on (key parts named in news/stored.py): a stored page then takes it from the
    output held for another story with the same parts."""
    bits = token.split_contents()[1:]
    name, by = _constant(bits[0]) if bits else None, [_constant(bit) for bit in bits[2:]]
    if name is None or None in by or (len(bits) > 1 and (bits[1] != "by" or not by)):
        raise template.TemplateSyntaxError('{% hole "NAME" [by "PART" …] %}')
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(nodelist, name, tuple(by))


def _constant(bit: str) -> str | None:
    """A quoted constant's text, or None."""
    if len(bit) >= 2 and bit[0] in "\"'" and bit[-1] == bit[0]:
        return bit[1:-1]
    return None
