"""Schedules, weights and targeting: what a page carries, and what ads.js may pick from it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from shpalta.ads import selection
from shpalta.ads.models import AdFreeArticle, AdFreeRubric, Placement
from shpalta.news import factories

from .conftest import banner

pytestmark = pytest.mark.django_db

LONG = "".join(f"<p>Абзац номер {n} цієї історії.</p>" for n in range(1, 8))


def carried(html: str, key: str) -> list[int]:
    """Creative ids in the page's slot `key`."""
    match = re.search(rf'data-ad-slot="{key}".*?</div></div>', html, re.S)
    return [int(i) for i in re.findall(r'data-creative="(\d+)"', match.group(0))] if match else []


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_untargeted_creatives_run_everywhere_targeted_ones_by_rubric_or_tag(client):
    war, sport = factories.category("Війна"), factories.category("Спорт")
    sub = factories.category("Фронт", parent=war)
    everywhere = banner("Скрізь")
    by_rubric = banner("Лише війна")
    by_rubric.rubrics.set([war])
    by_tag = banner("Лише тег")
    by_tag.tags.set([factories.tag("енергетика")])
    front = factories.article("На фронті", body=LONG, category=sub)
    match = factories.article("Матч", body=LONG, category=sport, tags=["енергетика"])
    other = factories.article("Інше", body=LONG, category=sport)
    assert sorted(carried(page(client, front), "inline")) == sorted([everywhere.pk, by_rubric.pk])
    assert sorted(carried(page(client, match), "inline")) == sorted([everywhere.pk, by_tag.pk])
    assert carried(page(client, other), "inline") == [everywhere.pk]


def test_placement_decides_the_slot_and_a_disabled_placement_shows_nothing(client):
    side = banner("Бічна", places=("sidebar",))
    story = factories.article(body=LONG)
    html = page(client, story)
    assert carried(html, "sidebar") == [side.pk]
    assert carried(html, "inline") == []
    Placement.objects.filter(key="sidebar").update(enabled=False)
    assert 'data-ad-slot="sidebar"' not in page(client, story)


def test_schedule_ended_creatives_are_left_out_future_ones_carry_their_times(client):
    now = timezone.now()
    ended = banner("Минулий", ends_at=now - timedelta(minutes=1))
    later = banner("Завтрашній", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2))
    off = banner("Вимкнений", active=False)
    html = page(client, factories.article(body=LONG))
    ids = carried(html, "inline")
    assert later.pk in ids and ended.pk not in ids and off.pk not in ids
    start, end = int(later.starts_at.timestamp()), int(later.ends_at.timestamp())
    assert f'data-creative="{later.pk}" data-weight="1" data-from="{start}" data-to="{end}"' in html
    assert not selection.active_at(later, now)
    assert selection.active_at(later, now + timedelta(days=1, seconds=1))
    assert not selection.active_at(later, now + timedelta(days=2))


def test_weights_reach_the_page(client):
    heavy = banner("Важкий", weight=5)
    html = page(client, factories.article(body=LONG))
    assert f'data-creative="{heavy.pk}" data-weight="5"' in html


def test_ad_free_story_and_rubric_with_its_subrubrics(client):
    banner("Скрізь", places=("inline", "sidebar", "article_bottom"))
    calm = factories.category("Некрологи")
    below = factories.category("Пам’ять", parent=calm)
    plain = factories.article("Звичайна", body=LONG)
    quiet = factories.article("Тиха", body=LONG)
    in_sub = factories.article("Під рубрикою", body=LONG, category=below)
    AdFreeArticle.objects.create(article=quiet)
    AdFreeRubric.objects.create(rubric=calm)
    assert "data-ad-slot" in page(client, plain)
    for story in (quiet, in_sub):
        html = page(client, story)
        assert "data-ad-slot" not in html and "ads.js" not in html
        assert "<p>Абзац номер 4 цієї історії.</p>" in html  # the text itself is whole


def test_short_story_has_no_inline_slot_but_keeps_the_others(client):
    banner("Скрізь", places=("inline", "sidebar"))
    html = page(client, factories.article(body="<p>Один.</p><p>Два.</p><p>Три.</p><p>Чотири.</p>"))
    assert 'data-ad-slot="inline"' not in html
    assert 'data-ad-slot="sidebar"' in html


def test_list_slot_after_card_n_and_every_slot_labelled(client):
    rubric = factories.category("Економіка")
    for n in range(6):
        factories.article(f"Новина {n}", category=rubric, age=timedelta(hours=n))
    listed = banner("Список", places=("list",))
    html = client.get(rubric.get_absolute_url()).content.decode()
    assert carried(html, "list") == [listed.pk]
    slot = html.index('data-ad-slot="list"')
    assert html[:slot].count('class="card') >= 4
    assert html.count('class="ad-slot__label">Реклама<') == html.count("data-ad-slot=")


def test_a_change_to_a_creative_retires_cached_pages(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SHPALTA_PAGE_CACHE = True
    story = factories.article(body=LONG)
    assert "data-ad-slot" not in page(client, story)
    assert "data-ad-slot" not in page(client, story)  # now from the page cache
    with django_capture_on_commit_callbacks(execute=True):
        creative = banner("Новий")
    assert carried(page(client, story), "inline") == [creative.pk]
    with django_capture_on_commit_callbacks(execute=True):
        creative.placements.clear()
    assert "data-ad-slot" not in page(client, story)
