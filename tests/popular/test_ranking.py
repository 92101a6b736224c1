"""Most read: window edges, decay, what readers see in the blocks and in /api/popular."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from freezegun import freeze_time

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.popular import ranking
from shpalta.popular.models import HourlyViews
from shpalta.popular.ranking import (
    cache_key,
    decay_factor,
    most_read,
    popular_articles,
    rank_by_views,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 30, tzinfo=UTC)


def add_views(article, hour: datetime, views: int):
    HourlyViews.objects.create(article=article, hour=hour, views=views)


def ids(ranked):
    return [r.article_id for r in ranked]


@pytest.fixture
def no_page_cache(settings):
    settings.SHPALTA_PAGE_CACHE = False


@pytest.mark.parametrize(
    ("window", "hours"),
    [("24h", 24), ("7d", 24 * 7), ("30d", 24 * 30)],
)
def test_window_edges_with_frozen_time(window, hours):
    article = factories.article(published_at=datetime(2026, 1, 1, tzinfo=UTC))
    current_hour = datetime(2026, 3, 10, 12, tzinfo=UTC)
    first_in = current_hour - timedelta(hours=hours - 1)
    add_views(article, first_in - timedelta(hours=1), 1000)  # just outside
    add_views(article, first_in, 7)  # the oldest hour inside
    add_views(article, current_hour, 3)  # the current, partial hour
    with freeze_time(NOW):
        assert [(r.article_id, r.views) for r in rank_by_views(window)] == [(article.pk, 10)]
    # A minute before the hour turns, the hour that is "just outside" now is still inside.
    with freeze_time(current_hour - timedelta(minutes=1)):
        assert rank_by_views(window)[0].views == 1007


def test_most_viewed_first_ties_to_the_newer_article():
    with freeze_time(NOW):
        old = factories.article(age=timedelta(hours=5))
        new = factories.article(age=timedelta(hours=1))
        top = factories.article(age=timedelta(hours=9))
        hour = datetime(2026, 3, 10, 11, tzinfo=UTC)
        add_views(old, hour, 5)
        add_views(new, hour, 5)
        add_views(top, hour, 9)
        assert ids(rank_by_views("24h")) == [top.pk, new.pk, old.pk]
        assert ids(rank_by_views("24h", limit=1)) == [top.pk]


def test_freshness_decay_lets_a_fresh_story_overtake():
    with freeze_time(NOW):
        yesterday = factories.article(age=timedelta(hours=48))
        fresh = factories.article(age=timedelta(hours=1))
        hour = datetime(2026, 3, 10, 11, tzinfo=UTC)
        add_views(yesterday, hour, 100)
        add_views(fresh, hour, 40)
        assert ids(rank_by_views("7d")) == [yesterday.pk, fresh.pk]
        decayed = rank_by_views("7d", half_life_hours=12)
        assert ids(decayed) == [fresh.pk, yesterday.pk]
        assert decayed[1].score == pytest.approx(100 * 0.5**4)
        assert decayed[1].views == 100  # views stay the real count


def test_decay_factor_halves_per_half_life():
    published = NOW - timedelta(hours=6)
    assert decay_factor(published, NOW, 6) == pytest.approx(0.5)
    assert decay_factor(published, NOW, 3) == pytest.approx(0.25)
    assert decay_factor(published, NOW, 0) == 1.0
    assert decay_factor(NOW + timedelta(hours=1), NOW, 6) == 1.0


def test_unpublished_articles_leave_the_ranking():
    article = factories.article()
    other = factories.article()
    add_views(article, datetime.now(UTC).replace(minute=0, second=0, microsecond=0), 50)
    add_views(other, datetime.now(UTC).replace(minute=0, second=0, microsecond=0), 1)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert ids(rank_by_views("24h")) == [other.pk]


def test_rankings_are_cached_briefly(django_assert_num_queries, settings):
    settings.SHPALTA_POPULAR_CACHE_SECONDS = 60
    cache.delete(cache_key("24h", 5, 0))
    article = factories.article()
    add_views(article, datetime.now(UTC).replace(minute=0, second=0, microsecond=0), 3)
    try:
        with django_assert_num_queries(1):
            most_read("24h", 5)
        add_views(
            factories.article(), datetime.now(UTC).replace(minute=0, second=0, microsecond=0), 9
        )
        with django_assert_num_queries(0):
            assert ids(most_read("24h", 5)) == [article.pk]  # the cached ranking
    finally:
        cache.delete(cache_key("24h", 5, 0))


def test_block_items_exclude_the_current_article():
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    articles = [factories.article() for _ in range(7)]
    for n, article in enumerate(articles):
        add_views(article, hour, 100 - n)
    shown = popular_articles("24h", 5, exclude=articles[1])
    assert [a.pk for a in shown] == [articles[i].pk for i in (0, 2, 3, 4, 5)]
    assert [a.views for a in shown] == [100, 98, 97, 96, 95]


def test_article_page_block_renders_real_counts(client, no_page_cache):
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    page = factories.article("Стаття, яку читають")
    first = factories.article("Найчитаніша новина")
    second = factories.article("Друга за читаністю")
    add_views(second, hour, 4)
    add_views(first, hour, 9)
    add_views(page, hour, 20)
    html = client.get(page.get_absolute_url()).content.decode()
    block = html[html.index('class="popular') :]
    block = block[: block.index("</section>")]
    assert "Популярне" in block
    assert block.index("Найчитаніша новина") < block.index("Друга за читаністю")
    assert "Стаття, яку читають" not in block
    assert 'src="/static/popular/beacon.js"' in html
    assert f'data-article="{page.pk}"' in html


def test_no_views_no_block(client, no_page_cache):
    article = factories.article()
    assert "Популярне" not in client.get(article.get_absolute_url()).content.decode()
    assert "Популярне" not in client.get("/").content.decode()


def test_home_page_block(client, no_page_cache):
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    article = factories.article("Новина для головної")
    add_views(article, hour, 2)
    html = client.get("/").content.decode()
    assert "popular--home" in html
    block = html[html.index("popular--home") :]
    assert "Новина для головної" in block[: block.index("</section>")]


def test_preview_pages_send_no_beacon(staff_client, no_page_cache):
    draft = factories.article(status=Article.Status.DRAFT)
    html = staff_client.get(reverse("news:preview", args=[draft.pk])).content.decode()
    assert "beacon.js" not in html


def test_api_popular(client):
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    first, second = factories.article(), factories.article()
    add_views(first, hour, 3)
    add_views(second, hour - timedelta(days=3), 8)
    day = client.get("/api/popular?window=24h").json()
    assert day["count"] == 1
    assert [(i["id"], i["views"]) for i in day["items"]] == [(first.pk, 3)]
    assert {"title", "url", "published_at", "category"} <= set(day["items"][0])
    week = client.get("/api/popular?window=7d").json()
    assert [(i["id"], i["views"]) for i in week["items"]] == [(second.pk, 8), (first.pk, 3)]
    assert client.get("/api/popular").json()["count"] == 1  # 24h by default


def test_api_popular_rejects_bad_parameters(client):
    assert client.get("/api/popular?window=1y").status_code == 422
    assert client.get("/api/popular?half_life_hours=-1").status_code == 422
    assert client.get("/api/popular?half_life_hours=nan").status_code == 422
    assert client.get("/api/popular?page_size=1000").status_code == 422


def test_api_popular_half_life_is_one_of_a_few_values(client):
    """Each value is a ranking of its own (cached): a float per request would mean a full
    ranking per request and a cache flooded with them, so only a short list is accepted."""
    for value in ("12.0001", "13", "0.5", "10000"):
        response = client.get(f"/api/popular?half_life_hours={value}")
        assert response.status_code == 422
        assert "0, 6, 12, 24, 48, 72, 168" in response.json()["detail"]
    assert client.get("/api/popular?half_life_hours=12").status_code == 200


def test_api_popular_spellings_of_one_half_life_share_a_ranking(client, settings, monkeypatch):
    settings.SHPALTA_POPULAR_CACHE_SECONDS = 60
    computed = []

    def counting_rank(*args):
        computed.append(args)
        return real_rank(*args)

    real_rank = ranking.rank_by_views
    monkeypatch.setattr(ranking, "rank_by_views", counting_rank)
    key = cache_key("24h", ranking.MAX_ITEMS, 12)
    cache.delete(key)
    try:
        for value in ("12", "12.0", "1.2e1"):
            assert client.get(f"/api/popular?half_life_hours={value}").status_code == 200
    finally:
        cache.delete(key)
    assert computed == [("24h", ranking.MAX_ITEMS, 12)]


def test_block_loads_only_what_its_items_show(django_assert_num_queries):
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    article = factories.article("Читана новина", body="<p>Довгий текст</p>" * 50)
    add_views(article, hour, 3)
    with django_assert_num_queries(2):  # the ranking, then the articles
        html = render_to_string("popular/_block.html", {"window": "24h"})
    [shown] = popular_articles("24h", 5)
    assert "Читана новина" in html and article.get_absolute_url() in html
    assert {"body", "body_text", "lead", "excerpt"} <= shown.get_deferred_fields()


def test_api_popular_empty(client):
    factories.article()
    assert client.get("/api/popular?window=30d").json() == {"items": [], "count": 0}
