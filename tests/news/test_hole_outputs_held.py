"""A stored story page's holes taken from the output held for another story with the same key
parts (`{% hole "top" by "ads" %}`, news/stored.py, issue 18): every page stays byte for byte
its whole render, whatever was served before it in the process — other rubrics, other ad
targeting, ad-free stories, live coverage — and the ads' script is written once per page."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Template, TemplateSyntaxError

from shpalta.ads.models import AdFreeArticle, Creative
from shpalta.live.models import LiveCoverage, LiveEntry
from shpalta.news import factories, fragments, stored
from tests.ads.conftest import banner, migrated_placements
from tests.ads.test_targeting import LONG, carried
from tests.news.test_stored_pages import get, whole

pytestmark = pytest.mark.django_db(transaction=True)

SLOTS = ("header", "sidebar", "inline", "article_top", "article_bottom")


@pytest.fixture(autouse=True)
def stored_on(settings):
    settings.SHPALTA_PAGE_CACHE = False
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600
    settings.SHPALTA_STORED_PAGES = True
    migrated_placements()


def stories():
    """Stories whose pages differ in every held hole: rubric (the menu's mark), targeting by
    rubric and by tag, an ad-free story, a live one."""
    war, sport = factories.category("Війна"), factories.category("Спорт")
    banner("Скрізь", places=SLOTS)
    banner("Лише війна", places=("header", "sidebar")).rubrics.set([war])
    banner("Лише тег", places=("article_top",)).tags.set([factories.tag("енергетика")])
    made = {
        "war": factories.article("На фронті", body=LONG, category=war),
        "war-2": factories.article("Знову фронт", body=LONG, category=war),
        "sport": factories.article("Матч", body=LONG, category=sport),
        "tagged": factories.article("Світло", body=LONG, category=sport, tags=["енергетика"]),
        "ad-free": factories.article("Без реклами", body=LONG, category=sport),
        "live": factories.article("Наживо", body=LONG, category=war),
    }
    AdFreeArticle.objects.create(article=made["ad-free"])
    coverage = LiveCoverage.objects.create(article=made["live"], summary="Що відомо")
    LiveEntry.objects.create(coverage=coverage, text="<p>Перше оновлення</p>")
    return made


def test_every_page_is_its_whole_render_whichever_page_came_before(client, settings):
    made = stories()
    paths = [story.get_absolute_url() for story in made.values()]
    expected = {path: whole(client, settings, path) for path in paths}
    for path in paths:  # first views: each page rendered and kept, its holes held
        assert get(client, path) == expected[path], path
    for order in (paths, paths[::-1], paths[1::2] + paths[::2]):
        for path in order:  # kept pages, held holes, in orders that would mix them up
            assert get(client, path) == expected[path], path
    assert stored._filled.outputs, "no hole was held"


def test_held_slots_keep_each_storys_targeting(client):
    made = stories()
    everywhere, war_only, tag_only = (
        Creative.objects.get(name=name).pk for name in ("Скрізь", "Лише війна", "Лише тег")
    )
    for _ in range(2):  # the second round from kept pages and held holes
        pages = {name: get(client, story.get_absolute_url()) for name, story in made.items()}
        assert sorted(carried(pages["war"], "header")) == sorted([everywhere, war_only])
        assert sorted(carried(pages["war-2"], "sidebar")) == sorted([everywhere, war_only])
        assert carried(pages["sport"], "header") == [everywhere]
        assert sorted(carried(pages["tagged"], "article_top")) == sorted([everywhere, tag_only])
        assert carried(pages["sport"], "article_top") == [everywhere]
        assert "data-ad-slot" not in pages["ad-free"]  # not even the others' held slots


def test_the_ads_script_is_written_once_in_the_first_slot_of_every_page(client):
    made = stories()
    for _ in range(2):
        for name, story in made.items():
            page = get(client, story.get_absolute_url())
            count = page.count("ads/ads")
            assert count == (0 if name == "ad-free" else 1), (name, count)
            if count:  # right after the header slot, the first on the page
                script = page.index("ads/ads")
                assert page.rindex('data-ad-slot="header"', 0, script) < script
                assert page.find("data-ad-slot", page.index('data-ad-slot="header"') + 1) > script


def test_the_menu_marks_each_storys_own_rubric(client):
    made = stories()
    for _ in range(2):
        for name in ("war", "sport", "war-2"):
            page = get(client, made[name].get_absolute_url())
            rubric = made[name].category
            marked = f'href="{rubric.get_absolute_url()}" aria-current="true"'
            assert marked in page, name


def test_a_live_story_gets_its_own_block_the_others_none(client):
    made = stories()
    for _ in range(2):
        assert "Перше оновлення" in get(client, made["live"].get_absolute_url())
        assert 'class="live"' not in get(client, made["war"].get_absolute_url())
    LiveEntry.objects.create(
        coverage=LiveCoverage.objects.get(article=made["live"]), text="<p>Друге оновлення</p>"
    )
    assert "Друге оновлення" in get(client, made["live"].get_absolute_url())


@pytest.mark.parametrize(
    "tag",
    ['{% hole %}', '{% hole name %}', '{% hole "a" "b" %}', '{% hole "a" by %}',
     '{% hole "a" with "b" %}', '{% hole "a" by b %}'],
)  # fmt: skip
def test_a_malformed_hole_is_a_template_error(tag):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragments %}" + tag + "{% endhole %}")


def test_a_hole_whose_key_part_no_app_gives_is_rendered_each_time(client, settings):
    made = stories()
    path = made["war"].get_absolute_url()
    expected = whole(client, settings, path)
    get(client, path)
    ads = stored._key_parts.pop("ads")
    stored._node_parts.clear()  # the holes' parts as worked out with it
    try:
        stored._filled.outputs.clear()
        assert get(client, path) == expected
        assert not any(key[0] == "top" for key in stored._filled.outputs)
    finally:
        stored.key_part("ads", ads.of, ads.carries)


def test_the_script_follows_the_first_slot_with_an_ad_whichever_page_came_before(client):
    """A story with a header ad writes the script there; one without writes it in the next
    slot: the held «top» and «article-top» of the one must not stand for the other's."""
    war, sport = factories.category("Війна"), factories.category("Спорт")
    banner("Шапка війни", places=("header",)).rubrics.set([war])
    banner("Під заголовком", places=("article_top",))
    at_war = factories.article("На фронті", body=LONG, category=war)
    at_play = factories.article("Матч", body=LONG, category=sport)
    for _ in range(2):
        for story, first in ((at_war, "header"), (at_play, "article_top"), (at_war, "header")):
            page = get(client, story.get_absolute_url())
            assert page.count("ads/ads") == 1, story.title
            script = page.index("ads/ads")
            assert page.rindex("data-ad-slot=", 0, script) == page.index(
                f'data-ad-slot="{first}"'
            ), story.title


def test_a_slot_left_out_by_a_database_failure_is_not_held(client, settings):
    """«An ad never breaks the page»: with the placements' table failing while the slots are
    written, the page comes without them; once it answers, the same version's next page has
    them again (no empty slot was held for the version)."""
    banner("Скрізь", places=SLOTS)
    story = factories.article("Історія", body=LONG)
    path = story.get_absolute_url()
    expected = whole(client, settings, path)
    get(client, path)  # kept; the version's ads plan, «без реклами» lists and slots held
    # Only the slots' markup to be written again: it reads the placements.
    stored._filled.outputs.clear()
    for key in [key for key in fragments._held.parts if ":ad-slot:" in key]:
        del fragments._held.parts[key]
    cache.clear()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE ads_placement RENAME TO ads_placement_away")
    try:
        page = get(client, path)
        assert "data-ad-slot" not in page and "Історія" in page
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE ads_placement_away RENAME TO ads_placement")
    assert get(client, path) == expected
