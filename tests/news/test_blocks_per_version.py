"""What a reader page reads once per site version and then keeps (issue 18): the home page's
top and sections, the rubric tree, the ad slots and «без реклами» lists, which stories are
live, the «Популярне» block. Each follows its change at once, and a page in a version already
read asks the database only for its own story."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shpalta.ads.models import AdFreeArticle, AdFreeRubric
from shpalta.live import service
from shpalta.news import factories
from shpalta.news.models import FrontPageSlot
from shpalta.popular.models import HourlyViews
from tests.ads.conftest import banner, migrated_placements
from tests.ads.test_targeting import LONG, carried

# Committed transactions: the version changes after the commit (shpalta.changes).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fragments_on(settings):
    """The page cache off, so each request renders and only the kept parts can be reused."""
    settings.SHPALTA_PAGE_CACHE = False
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600
    settings.SHPALTA_POPULAR_CACHE_SECONDS = 0  # the ranking read anew on every view


@pytest.fixture(autouse=True)
def placements():
    migrated_placements()


def get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def tables_read(client, path: str) -> list[str]:
    """The tables the page reads, but the site version's row: how often that is read is the
    caching app's business (it may remember the version between requests)."""
    with CaptureQueriesContext(connection) as captured:
        get(client, path)
    tables = [table_of(query["sql"]) for query in captured.captured_queries]
    return [table for table in tables if table not in {'"caching_siteversion"', None}]


def table_of(sql: str) -> str | None:
    """The table a SELECT reads; "write <table>" for anything else (a page kept); None for
    the transaction's own statements (its settings among them: ops.writes on PostgreSQL)."""
    if sql.split()[0] in {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET"}:
        return None
    if " FROM " in sql and sql.lstrip().startswith("SELECT"):
        return sql.split(" FROM ", 1)[1].split()[0]
    words = sql.replace("(", " ").split()
    table = next(word for word in words if word.startswith('"'))
    return f"write {table}"


def test_a_story_page_reads_only_its_story_once_the_version_is_read(client):
    banner("Скрізь", places=("sidebar", "inline", "article_top"))
    first = factories.article("Перша", body=LONG, tags=["НАТО"], authors=[factories.author()])
    second = factories.article("Друга", body=LONG, tags=["США"], authors=[factories.author()])
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    HourlyViews.objects.create(article=factories.article("Читана"), hour=hour, views=3)
    get(client, first.get_absolute_url())
    read = tables_read(client, second.get_absolute_url())
    # no ads, rubrics, live or «Популярне» articles: only what is this story's own
    assert read == [
        '"news_article"',  # with its stored page (news/stored.py): none yet
        '"news_article"',  # so the story whole, with its rubric and cover (views.STORY_BY_SLUG)
        '"news_author"',
        '"news_tag"',
        '"popular_hourlyviews"',  # the ranking (its own cache is off here)
        '"related_relatedlink"',  # «Більше подібного»: its list's live ids (its key) ...
        '"related_relatedlink"',  # ... and the list with the items kept (related.KeptItem)
        'write "news_storypage"',  # the page kept, holes left out, with its block
    ], read
    # Seen again: the story and its kept page in one query, the holes from their fragments
    # but «Більше подібного», kept in the page while its list's live ids and saves are the same.
    read = tables_read(client, second.get_absolute_url())
    assert read == ['"news_article"', '"popular_hourlyviews"', '"related_relatedlink"'], read


def test_a_live_storys_kept_page_reads_its_story_once(client):
    """The live block is rendered for each view of a covered story (never held): what it reads
    of the story (its headline in the LiveBlogPosting JSON-LD) is in the kept page's query."""
    story = factories.article("Атака дронів: онлайн", body=LONG)
    service.start(story.pk, summary="Тривога триває.")
    service.post(story.pk, "<p>Перше оновлення</p>")
    get(client, story.get_absolute_url())  # kept
    get(client, story.get_absolute_url())
    read = tables_read(client, story.get_absolute_url())
    assert read.count('"news_article"') == 1, read


def test_the_home_page_reads_nothing_but_the_ranking_once_read(client):
    banner("Шапка", places=("header",))
    for n in range(6):
        factories.article(f"Новина {n}", category=factories.category(f"Рубрика {n % 2}"))
    get(client, "/")
    assert tables_read(client, "/") == ['"popular_hourlyviews"']


def test_a_pin_takes_the_lead_at_once(client):
    stories = [factories.article(f"Новина {n}", age=timedelta(minutes=n + 1)) for n in range(8)]
    home = get(client, "/")
    assert home.index("Новина 0<") < home.index("Новина 7<")
    FrontPageSlot.objects.create(position=FrontPageSlot.LEAD, article=stories[7])
    home = get(client, "/")
    assert home.index("Новина 7<") < home.index("Новина 0<")


def test_a_renamed_rubric_shows_in_the_menu_at_once(client):
    rubric = factories.category("Політика")
    story = factories.article("Новина", category=rubric)
    assert ">Політика</a></li>" in get(client, story.get_absolute_url())
    rubric.name = "Влада"
    rubric.save()
    page = get(client, story.get_absolute_url())
    assert ">Влада</a></li>" in page and ">Політика</a></li>" not in page


def test_a_new_creative_and_an_edited_one_show_at_once(client):
    story = factories.article("Історія", body=LONG)
    other = factories.article("Інша", body=LONG)
    assert carried(get(client, story.get_absolute_url()), "sidebar") == []
    side = banner("Бічна", places=("sidebar",))
    assert carried(get(client, story.get_absolute_url()), "sidebar") == [side.pk]
    side.alt = "Новий опис банера"
    side.save()
    page = get(client, other.get_absolute_url())
    assert carried(page, "sidebar") == [side.pk] and "Новий опис банера" in page


def test_a_story_or_rubric_made_ad_free_loses_its_slots_at_once(client):
    banner("Скрізь", places=("sidebar", "inline"))
    rubric = factories.category("Спецпроєкт")
    story = factories.article("Історія", body=LONG)
    in_rubric = factories.article("У рубриці", body=LONG, category=rubric)
    for article in (story, in_rubric):
        assert 'data-ad-slot="sidebar"' in get(client, article.get_absolute_url())
    AdFreeArticle.objects.create(article=story)
    AdFreeRubric.objects.create(rubric=rubric)
    for article in (story, in_rubric):
        assert "data-ad-slot" not in get(client, article.get_absolute_url())


def test_a_creative_targeted_by_tag_runs_only_beside_stories_with_the_tag(client):
    everywhere = banner("Скрізь", places=("sidebar",))
    by_tag = banner("Лише тег", places=("sidebar",))
    by_tag.tags.set([factories.tag("енергетика")])
    tagged = factories.article("Світло", body=LONG, tags=["енергетика"])
    plain = factories.article("Інше", body=LONG, tags=["спорт"])
    for _ in range(2):  # read, then kept
        assert sorted(carried(get(client, tagged.get_absolute_url()), "sidebar")) == sorted(
            [everywhere.pk, by_tag.pk]
        )
        assert carried(get(client, plain.get_absolute_url()), "sidebar") == [everywhere.pk]


def test_the_ads_script_comes_once_after_the_first_slot(client):
    banner("Скрізь", places=("header", "sidebar"))
    story = factories.article("Історія", body=LONG)
    for _ in range(2):
        page = get(client, story.get_absolute_url())
        assert page.count("ads/ads.js") == 1
        first_slot = page.index('data-ad-slot="header"')
        assert first_slot < page.index("ads/ads.js") < page.index('data-ad-slot="sidebar"')


def test_a_story_made_live_shows_its_block_at_once_and_loses_it_when_removed(client):
    story = factories.article("Атака дронів: онлайн")
    assert 'id="live"' not in get(client, story.get_absolute_url())
    coverage = service.start(story.pk, summary="Тривога триває.")
    assert 'id="live"' in get(client, story.get_absolute_url())
    coverage.delete()
    assert 'id="live"' not in get(client, story.get_absolute_url())


def test_the_popular_block_follows_the_ranking_and_the_titles(client):
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    read, beside = factories.article("Читана"), factories.article("Поруч")
    more = factories.article("Ще читаніша")
    HourlyViews.objects.create(article=read, hour=hour, views=5)
    assert "Читана<" in get(client, "/")
    read.title = "Читана, виправлено"
    read.save()
    assert "Читана, виправлено<" in get(client, "/")
    HourlyViews.objects.create(article=more, hour=hour, views=9)  # no new version: ranking only
    home = get(client, "/")
    assert home.index("Ще читаніша<") < home.index("Читана, виправлено<")
    # beside a story, the block leaves that story out
    page = get(client, more.get_absolute_url())
    block = page.split('class="popular__list"')[1].split("</ol>")[0]
    assert "Ще читаніша" not in block and "Читана, виправлено" in block
    assert beside.title not in block


def test_without_views_a_story_page_shows_the_newest_but_itself(client):
    stories = [factories.article(f"Свіжа {n}", age=timedelta(minutes=n + 1)) for n in range(7)]
    for story in (stories[0], stories[3], stories[0]):
        page = get(client, story.get_absolute_url())
        aside = page.split('class="sidebar-latest"')[1].split("</section>")[0]
        assert f"{story.title}<" not in aside
        assert aside.count('class="popular__item"') == 5


def test_a_scheduled_story_reaches_the_home_page_when_its_time_comes(client):
    from freezegun import freeze_time

    start = timezone.now()
    factories.article("Вже вийшла", published_at=start - timedelta(minutes=5))
    factories.article("Заплановано", published_at=start + timedelta(minutes=10))
    assert "Заплановано" not in get(client, "/")
    with freeze_time(start + timedelta(minutes=11)):
        assert "Заплановано" in get(client, "/")
