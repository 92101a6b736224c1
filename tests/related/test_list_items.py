"""The «Більше подібного» list's items, written by `{% related_list_items %}`, are exactly what
the block's template loop wrote: library covers, imported cover addresses, no cover, empty
teasers and hostile titles alike."""

import pytest
from django.template import Context, Template

from shpalta.news import factories
from shpalta.photos import library
from shpalta.related.templatetags.related import related_list_items
from tests.photos.images import jpeg

pytestmark = pytest.mark.django_db

# The loop as the block's former template (related/_block.html) wrote it: the reference.
LOOP = Template(
    """{% load photos %}{% for item in related_list %}
    <li class="related__item">
      {% if item.article.cover %}<a class="related__thumb" href="{{ item.article.get_absolute_url }}" tabindex="-1" aria-hidden="true">{% picture item.article.cover "card" "(max-width: 560px) 100vw, 340px" alt="" width=320 %}</a>{% elif item.article.cover_url %}<a class="related__thumb" href="{{ item.article.get_absolute_url }}" tabindex="-1" aria-hidden="true"><img src="{{ item.article.cover_url }}" alt="" loading="lazy" width="320" height="180"></a>{% endif %}
      <h3 class="related__headline"><a href="{{ item.article.get_absolute_url }}">{{ item.article.title }}</a></h3>
      {% if item.teaser %}<p class="related__teaser">{{ item.teaser }}</p>{% endif %}
    </li>{% endfor %}"""  # noqa: E501
)


@pytest.fixture
def items():
    image, _ = library.add(jpeg(1600, 900), "міст.jpg", alt="Міст")
    with_cover = factories.article("Міст через Дніпро", cover=image)
    remote = factories.article(
        'Лапки "такі" & <b>теги</b>', cover_image_url="https://example.com/a.jpg?x=1&y=<2>"
    )
    bare = factories.article("Без обкладинки")
    return [
        {"article": with_cover, "teaser": "Короткий опис & «лапки»"},
        {"article": remote, "teaser": "<script>alert(1)</script>"},
        {"article": bare, "teaser": ""},
    ]


def test_the_items_equal_the_template_loop(items):
    assert related_list_items(items) == LOOP.render(Context({"related_list": items}))


def test_each_kind_alone_equals_the_loop(items):
    for item in items:
        assert related_list_items([item]) == LOOP.render(Context({"related_list": [item]}))


def test_no_items_write_nothing():
    assert related_list_items([]) == ""


def test_hostile_values_stay_escaped(items):
    html = related_list_items(items)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "y=&lt;2&gt;" in html
    assert "<picture" in html  # the library cover through its renditions
