"""The results list's items, written out in Python, are what the template loop they replace
rendered: escaping, the rubric link or its absence, and dates in the reader's zone and language."""

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.utils import timezone, translation

from shpalta.news import factories
from shpalta.search import service
from shpalta.search.views import result_items

pytestmark = pytest.mark.django_db

# The loop search/results.html had, as it was.
TEMPLATE_LOOP = """{% for item in results %}
  <li class="search-result">
    <h2 class="search-result__title"><a href="{{ item.article.get_absolute_url }}">{{ item.title }}</a></h2>
    <p class="card__meta">{% if item.article.category %}<a href="{{ item.article.category.get_absolute_url }}">{{ item.article.category.name }}</a> · {% endif %}<time datetime="{{ item.article.published_at|date:'c' }}">{{ item.article.published_at|date:"j E Y" }}</time></p>
    <p class="search-result__snippet">{{ item.snippet }}</p>
  </li>
  {% endfor %}"""  # noqa: E501


def template_rendering(results) -> str:
    return engines["django"].from_string(TEMPLATE_LOOP).render({"results": results})


@pytest.fixture
def found():
    hostile = factories.category("Рубрика <b>\"лапки\"</b> & 'апостроф'", slug="hostile")
    factories.article(
        "Вибори <script>alert(1)</script> & «лапки»",
        lead='Про вибори: <i>курсив</i> & "лапки" {braces}.',
        category=hostile,
        published_at=datetime(2025, 12, 31, 22, 30, tzinfo=UTC),  # 1 January in Kyiv
    )
    factories.article("Вибори без рубрики", published_at=datetime(2025, 3, 8, 9, 5, tzinfo=UTC))
    factories.article("Вибори в рубриці", category=factories.category("Політика"))
    results = service.search("вибори", fields=service.PAGE_FIELDS).results
    assert len(results) == 3
    return results


@pytest.mark.parametrize("zone", ["Europe/Kyiv", "UTC", "America/New_York"])
@pytest.mark.parametrize("language", ["uk", "en"])
def test_items_equal_the_template_loop(found, zone, language):
    with timezone.override(zone), translation.override(language):
        assert result_items(found) == template_rendering(found)


def test_items_keep_hostile_text_escaped(found):
    html = result_items(found)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "&quot;лапки&quot;" in html
    assert "{braces}" in html
    assert "1 січня 2026" in html  # the reader's day: 22:30 UTC is past midnight in Kyiv


def test_no_results_no_items():
    assert result_items([]) == ""
