"""Editors see each article's views in the admin list, at a constant number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shpalta.news import factories
from shpalta.popular.models import HourlyViews

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/news/article/"


def this_hour():
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def test_changelist_shows_total_and_last_24_hours(staff_client):
    article = factories.article("Стаття з переглядами")
    HourlyViews.objects.create(article=article, hour=this_hour(), views=1200)
    HourlyViews.objects.create(article=article, hour=this_hour() - timedelta(days=3), views=34)
    factories.article("Стаття без переглядів")
    html = staff_client.get(CHANGELIST).content.decode()
    assert "Перегляди за 24 год" in html and "Перегляди, усього" in html
    row = html[html.index("Стаття з переглядами") :]
    row = row[: row.index("</tr>")]
    assert 'class="field-views_24h">1' in row and "200</td>" in row
    assert 'class="field-views_total">1' in row and "234</td>" in row
    empty = html[html.index("Стаття без переглядів") :]
    assert 'class="field-views_total">0</td>' in empty[: empty.index("</tr>")]


def test_sorting_by_views(staff_client):
    loud = factories.article("Гучна стаття", age=timedelta(days=2))
    quiet = factories.article("Тиха стаття")
    HourlyViews.objects.create(article=quiet, hour=this_hour(), views=1)
    HourlyViews.objects.create(article=loud, hour=this_hour(), views=50)
    columns = staff_client.get(CHANGELIST).context["cl"].list_display
    position = columns.index("views_24h")
    html = staff_client.get(CHANGELIST).content.decode()
    assert html.index("Тиха стаття") < html.index("Гучна стаття")  # newest first by default
    html = staff_client.get(f"{CHANGELIST}?o=-{position}").content.decode()
    assert html.index("Гучна стаття") < html.index("Тиха стаття")


def test_query_count_does_not_grow_with_rows(staff_client):
    def queries(n_articles):
        for _ in range(n_articles):
            article = factories.article()
            HourlyViews.objects.create(article=article, hour=this_hour(), views=2)
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(CHANGELIST).status_code == 200
        return len(captured)

    assert queries(2) == queries(10)
