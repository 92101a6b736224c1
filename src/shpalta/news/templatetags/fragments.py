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

    def __init__(self, nodelist, name: str, by: tuple[str, ...] = (), kept: str | None = None):
        self.nodelist, self.name, self.by, self.kept = nodelist, name, by, kept
        stored.register_hole(name, self)

    def render(self, context):
        mark = stored.recorded(context, self.name)
        return self.nodelist.render(context) if mark is None else mark


@register.tag("hole")
def hole(parser, token):
    """`{% hole "name" %}…{% endhole %}`: the name is a constant, unique among the templates.

    `{% hole "name" by "part" … %}` says what else than the site version the hole's output
    depends on (key parts named in news/stored.py): a stored page then takes it from the
    output held for another story with the same parts.

    `{% hole "name" kept "part" %}`: the output is the story's own, kept in its page's row
    with the value of the key part it was rendered for, and used while that value is the same
    (the story's «Більше подібного», which changes far less often than the site version)."""
    bits = token.split_contents()[1:]
    name, named = _constant(bits[0]) if bits else None, [_constant(bit) for bit in bits[2:]]
    word = bits[1] if len(bits) > 1 else None
    if (
        name is None
        or None in named
        or (word is not None and (word not in ("by", "kept") or not named))
        or (word == "kept" and len(named) != 1)
    ):
        raise template.TemplateSyntaxError('{% hole "NAME" [by "PART" …] %} or kept "PART"')
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    if word == "kept":
        return HoleNode(nodelist, name, kept=named[0])
    return HoleNode(nodelist, name, tuple(named))


def _constant(bit: str) -> str | None:
    """A quoted constant's text, or None."""
    if len(bit) >= 2 and bit[0] in "\"'" and bit[-1] == bit[0]:
        return bit[1:-1]
    return None
