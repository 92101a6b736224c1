"""A story's card, written by `{% card %}` (news/templatetags/cards.py), is exactly what the
card's template wrote: big and small, library covers, imported cover addresses, no cover, no
rubric, with and without a teaser, hostile values, dates in the reader's time zone."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.templatetags.cards import card_html
from shpalta.photos import library
from tests.photos.images import jpeg

pytestmark = pytest.mark.django_db

# news/_card.html as it was, without its fragment: the reference.
TEMPLATE = Template(
    """{% load photos %}<article class="card{% if big %} card--big{% endif %}">
  {% if article.cover %}<a href="{{ article.get_absolute_url }}" tabindex="-1" aria-hidden="true">{% if big %}{% picture article.cover "card" "(max-width: 800px) 100vw, 704px" alt="" css_class="card__img" width=704 %}{% else %}{% picture article.cover "card" "(max-width: 560px) 100vw, (max-width: 800px) 50vw, 360px" alt="" css_class="card__img" width=640 %}{% endif %}</a>
  {% elif article.cover_url %}<a href="{{ article.get_absolute_url }}" tabindex="-1" aria-hidden="true"><img class="card__img" src="{{ article.cover_url }}" alt="" loading="lazy" width="640" height="360"></a>{% endif %}
  <{% if big %}h2{% else %}h3{% endif %} class="card__title"><a href="{{ article.get_absolute_url }}">{{ article.title }}</a></{% if big %}h2{% else %}h3{% endif %}>
  <p class="card__meta">{% if article.category %}<a href="{{ article.category.get_absolute_url }}">{{ article.category.name }}</a> · {% endif %}<time datetime="{{ article.published_at|date:'c' }}">{{ article.published_at|date:"j E Y, H:i" }}</time></p>
  {% if with_teaser %}<p class="card__teaser">{{ article.teaser }}</p>{% endif %}
</article>"""  # noqa: E501
)
MIDNIGHT_UTC = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # 1 April in Kyiv (UTC+3)


@pytest.fixture
def stories():
    image, _ = library.add(jpeg(1600, 900), "міст.jpg", alt="Міст")
    rubric = factories.category("Політика & «суспільство»")
    return [
        factories.article("Міст через Дніпро", cover=image, category=rubric),
        factories.article(
            'Лапки "такі" & <b>теги</b>',
            cover_image_url="https://example.com/a.jpg?x=1&y=<2>",
            lead="Лід з <i>тегом</i> & амперсандом",
        ),
        factories.article("Без обкладинки і рубрики", published_at=MIDNIGHT_UTC),
    ]


@pytest.mark.parametrize("big", [False, True])
@pytest.mark.parametrize("with_teaser", [False, True])
def test_each_card_equals_the_template(stories, big, with_teaser):
    for story in stories:
        context = Context({"article": story, "big": big, "with_teaser": with_teaser})
        assert card_html(story, big, with_teaser) == TEMPLATE.render(context)


def test_dates_in_the_readers_time_zone(stories):
    story = stories[2]
    with timezone.override("Europe/Kyiv"):
        html = card_html(story)
        assert html == TEMPLATE.render(Context({"article": story}))
    assert 'datetime="2026-04-01T01:30:00+03:00"' in html and "1 квітня 2026, 01:30" in html


def test_hostile_values_stay_escaped(stories):
    html = card_html(stories[1], with_teaser=True)
    assert "<b>" not in html and "<i>" not in html and "y=&lt;2&gt;" in html


def test_pages_show_each_card_once_with_its_link(stories, client: Client):
    for path in ("/", stories[0].category.get_absolute_url()):
        page = client.get(path).content.decode()
        assert page.count(f'href="{stories[0].get_absolute_url()}"') >= 2  # cover and title
