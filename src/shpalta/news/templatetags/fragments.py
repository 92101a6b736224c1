"""`{% fragment "card" article.pk big with_teaser %}…{% endfragment %}`: a cached part of a
page, keyed by the content version and by what it shows (news/fragments.py)."""

from django import template
from django.utils.safestring import mark_safe

from shpalta.news import fragments

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
