"""The search backend contract, run against the database in use.

`pytest tests/search` runs it on SQLite (FTS5); the same module runs on PostgreSQL with
`SHPALTA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest tests/search`
(`make test` does that run too). Every test goes through signals, as the site does.
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.search import indexing, service
from shpalta.search.backends import get_backend
from shpalta.search.backends.base import CANDIDATES

pytestmark = pytest.mark.django_db


def found(q, **filters) -> list[str]:
    return [r.article.title for r in service.search(q, suggestions=False, **filters).results]


def test_backend_matches_the_database_in_use():
    assert get_backend().vendor == connection.vendor


def test_inflected_query_finds_other_forms():
    factories.article("Зеленський зустрівся з Байденом", body="<p>Переговори у Києві.</p>")
    for q in ["Зеленського", "Зеленському", "Байдену", "переговорах", "Київ", "києві"]:
        assert found(q) == ["Зеленський зустрівся з Байденом"], q


def test_all_words_must_match():
    factories.article("Переговори у Києві")
    factories.article("Переговори у Львові")
    assert found("переговорах Києва") == ["Переговори у Києві"]


def test_publish_edit_unpublish_delete_follow_the_article():
    article = factories.article("Чернетка про вибори", status=Article.Status.DRAFT)
    assert found("вибори") == []
    article.status = Article.Status.PUBLISHED
    article.save()
    assert found("виборах") == ["Чернетка про вибори"]
    article.title = "Стаття про референдум"
    article.save()
    assert found("вибори") == []
    assert found("референдуму") == ["Стаття про референдум"]
    article.status = Article.Status.DRAFT
    article.save()
    assert found("референдум") == []
    article.status = Article.Status.PUBLISHED
    article.save()
    article.delete()
    assert found("референдум") == []
    assert get_backend().indexed_ids() == set()


def test_rolled_back_edit_leaves_the_index_alone():
    article = factories.article("Бюджет на наступний рік")
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Податки"
        article.save()
        raise RuntimeError
    assert found("бюджету") == ["Бюджет на наступний рік"]
    assert found("податки") == []


def test_scheduled_article_waits_for_its_time():
    factories.article("Майбутній указ", published_at=timezone.now() + timedelta(hours=2))
    assert found("указ") == []


def test_category_filter_includes_subcategories():
    politics = factories.category("Політика")
    local = factories.category("Місцева політика", parent=politics)
    sport = factories.category("Спорт")
    district = factories.category("Районна політика", parent=local)
    factories.article("Вибори мера", category=local)
    factories.article("Вибори старости", category=district, age=timedelta(hours=1))
    factories.article("Вибори капітана", category=sport)
    assert found("вибори", category=politics) == ["Вибори мера", "Вибори старости"]
    assert found("вибори", category=local) == ["Вибори мера", "Вибори старости"]
    assert found("вибори", category=district) == ["Вибори старости"]
    assert found("вибори", category=sport) == ["Вибори капітана"]


def test_date_range_filter():
    now = timezone.now()
    factories.article("Стара новина про газ", age=timedelta(days=40))
    factories.article("Нова новина про газ", age=timedelta(days=1))
    recent = found("газ", date_from=now - timedelta(days=7), date_to=now)
    assert recent == ["Нова новина про газ"]
    older = found("газ", date_from=now - timedelta(days=60), date_to=now - timedelta(days=30))
    assert older == ["Стара новина про газ"]


def test_pagination_walks_every_match_once():
    for n in range(25):
        factories.article(f"Новина {n} про енергетику", age=timedelta(hours=n))
    seen = []
    for page in (1, 2, 3):
        result = service.search("енергетика", page=page, page_size=10, suggestions=False)
        seen += [r.article.pk for r in result.results]
        assert result.count == 25
    assert len(seen) == 25 == len(set(seen))


def test_past_the_candidates_pages_continue_newest_first(monkeypatch):
    """Pages beyond the ranked candidates list the rest of the matches, none twice."""
    from shpalta.search.backends import base

    monkeypatch.setattr(base, "CANDIDATES", 5)
    for module in ("service", "backends.sqlite", "backends.postgres"):
        monkeypatch.setattr(f"shpalta.search.{module}.CANDIDATES", 5)
    old = factories.article("Енергетика: головне", age=timedelta(days=30))
    for n in range(12):
        factories.article(f"Новина {n}", body="<p>Про енергетику.</p>", age=timedelta(hours=n))
    first = service.search("енергетика", page=1, page_size=6, suggestions=False)
    assert first.results[0].article == old  # an older title match still competes
    later = [service.search("енергетика", page=p, page_size=6, suggestions=False) for p in (2, 3)]
    rest = [r.article.pk for page in later for r in page.results]
    everything = [r.article.pk for r in first.results] + rest
    assert len(everything) == 13 == len(set(everything))


def test_reindex_rebuilds_from_articles():
    factories.article("Реформа освіти")
    Article.objects.update(title="Реформа медицини")  # bypasses signals: the index is stale
    assert found("медицина") == []
    assert indexing.reindex_all() == 1
    assert found("медицина") == ["Реформа медицини"]
    assert found("освіта") == []


def test_candidate_cap_is_large_enough_to_rank_a_page():
    assert CANDIDATES >= 100


def test_reindex_command_prints_a_summary():
    from io import StringIO

    from django.core.management import call_command

    factories.article("Перша стаття про вибори")
    factories.article("Чернетка про вибори", status=Article.Status.DRAFT)
    get_backend().clear()
    out = StringIO()
    call_command("reindex", "--quiet-progress", stdout=out)
    assert out.getvalue().strip().endswith("indexed 1 articles")
    assert found("вибори") == ["Перша стаття про вибори"]
