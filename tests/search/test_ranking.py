"""Each ranking rule on a small fixed fixture, through the real backend of the database in use."""

from datetime import timedelta

import pytest

from shpalta.news import factories
from shpalta.search import service
from shpalta.search.backends.base import Candidate
from shpalta.search.ranking import freshness_at, rank, relevance, word_weights

pytestmark = pytest.mark.django_db


def order(q) -> list[str]:
    return [r.article.title for r in service.search(q, suggestions=False).results]


def test_title_over_lead_over_body():
    factories.article("Новини дня", body="<p>Уряд обговорив бюджет.</p>")
    factories.article("Підсумки тижня", lead="Уряд обговорив бюджет.", body="<p>Інше.</p>")
    factories.article("Бюджет ухвалено", body="<p>Інше.</p>")
    assert order("бюджет") == ["Бюджет ухвалено", "Підсумки тижня", "Новини дня"]


def test_exact_form_slightly_above_lemma_only():
    factories.article("Перша", body="<p>Делегація прибула до Києва.</p>", age=timedelta(hours=1))
    factories.article("Друга", body="<p>Делегація прибула в Київ.</p>", age=timedelta(hours=2))
    assert order("Київ") == ["Друга", "Перша"]
    assert order("Києва") == ["Перша", "Друга"]


def test_exact_form_does_not_beat_a_title_match():
    factories.article("Київ готується до зими", body="<p>Інше.</p>", age=timedelta(hours=2))
    factories.article("Новини", body="<p>Прибули до Києва.</p>", age=timedelta(hours=1))
    assert order("Києва") == ["Київ готується до зими", "Новини"]


def test_fresh_story_is_not_buried_by_a_year_old_one():
    factories.article("Обстріл енергетики", age=timedelta(days=365))
    factories.article("Обстріл енергетики вночі", age=timedelta(hours=3))
    assert order("обстріл") == ["Обстріл енергетики вночі", "Обстріл енергетики"]


def test_a_much_stronger_old_match_still_wins():
    factories.article("Санкції проти Росії", age=timedelta(days=365))
    factories.article("Огляд подій", body="<p>Згадали й санкції.</p>", age=timedelta(hours=3))
    assert order("санкції") == ["Санкції проти Росії", "Огляд подій"]


def test_rare_word_weighs_more_than_a_common_one():
    for n in range(6):
        factories.article(f"Війна, день {n}", body="<p>Зведення.</p>", age=timedelta(days=2))
    factories.article("Війна і дипломатія", body="<p>Меморандум.</p>", age=timedelta(days=2))
    factories.article("Меморандум підписано", body="<p>Про війну.</p>", age=timedelta(days=2))
    assert order("війна меморандум")[0] == "Меморандум підписано"


def test_freshness_curve():
    day = timedelta(days=1).total_seconds()
    assert freshness_at(0) == 1.0
    assert freshness_at(30 * day) == pytest.approx(0.75)
    assert 0.5 < freshness_at(365 * day) < 0.51
    assert freshness_at(-day) == 1.0  # clock skew is not a bonus


def test_rank_breaks_ties_by_date():
    from django.utils import timezone

    now = timezone.now()
    older = Candidate(1, (now - timedelta(hours=2)).timestamp(), (False,), (False,), (False,))
    newer = Candidate(2, (now - timedelta(hours=1)).timestamp(), (False,), (False,), (False,))
    assert rank([older, newer], [1.0], now) == [2, 1]
    assert relevance(older, [2.0]) == 2.0
    assert word_weights([1, 1000], 1000)[0] > word_weights([1, 1000], 1000)[1] > 0
