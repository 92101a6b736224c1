"""Story pages kept as rendered, with holes for the site's parts (news/stored.py, issue 18):
byte for byte what a whole render gives, on the first view and every later one; each change of
what a page shows reaches it at once; drafts and previews never come from them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shpalta.live.models import LiveCoverage, LiveEntry
from shpalta.news import factories, stored
from shpalta.news.models import Article, StoryPage
from shpalta.photos import library
from shpalta.related.models import RelatedLink
from tests.ads.conftest import banner, migrated_placements, png
from tests.ads.test_targeting import LONG, carried

# Committed transactions: the version changes after the commit (shpalta.changes).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def stored_on(settings):
    """The page cache off, so each request builds its page; fragments on, as deployed."""
    settings.SHPALTA_PAGE_CACHE = False
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600
    settings.SHPALTA_STORED_PAGES = True


@pytest.fixture(autouse=True)
def placements():
    migrated_placements()


def get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def whole(client, settings, path: str) -> str:
    """The page as a whole render gives it (stored pages off)."""
    settings.SHPALTA_STORED_PAGES = False
    try:
        return get(client, path)
    finally:
        settings.SHPALTA_STORED_PAGES = True


def a_full_story(**fields) -> Article:
    """A story with everything a page shows: rubric, tags, authors, a library cover, a body
    long enough for the inline ad, a «Більше подібного» list and a live coverage."""
    cover = library.add(png(800, 450), "cover.png", alt="Опис фото", caption="Підпис")[0]
    rubric = factories.category("Політика")
    story = factories.article(
        "Головна історія",
        body=LONG,
        tags=["НАТО", "Безпека"],
        authors=[factories.author("Олена Петренко")],
        category=rubric,
        cover=cover,
        lead="Коротко про головне.",
        **fields,
    )
    other = factories.article("Схожа історія", category=rubric)
    link = {"rank": 0, "score": 0.5}
    RelatedLink.objects.get_or_create(article=story, related=other, defaults=link)
    return story


def test_kept_and_filled_pages_are_byte_for_byte_a_whole_render(client, settings):
    banner("Скрізь", places=("header", "sidebar", "inline", "article_top", "article_bottom"))
    story = a_full_story()
    coverage = LiveCoverage.objects.create(article=story, summary="Що відомо")
    LiveEntry.objects.create(coverage=coverage, text="<p>Перше оновлення</p>")
    path = story.get_absolute_url()
    expected = whole(client, settings, path)
    assert StoryPage.objects.count() == 0
    assert get(client, path) == expected  # first view: rendered, kept, holes filled
    kept = StoryPage.objects.get(article=story)
    assert stored.MARK in kept.html and "Перше оновлення" not in kept.html  # a hole
    assert "Головна історія" in kept.html
    assert get(client, path) == expected  # from the kept page
    for part in ("Перше оновлення", "Схожа історія", "data-ad-slot", "Олена Петренко", "#НАТО"):
        assert part in expected


def test_a_kept_page_is_served_in_one_query_for_the_story(client):
    story = a_full_story()
    path = story.get_absolute_url()
    get(client, path)
    get(client, path)
    with CaptureQueriesContext(connection) as captured:
        get(client, path)
    sql = [query["sql"] for query in captured.captured_queries]
    reads = [q for q in sql if "news_storypage" in q]
    assert len(reads) == 1 and '"news_article"' in reads[0], sql  # joined to the story's row
    assert not any("news_tag" in q or "news_author" in q for q in sql), sql
    # Nor the story's text, rubric or cover: the kept page shows them (views.STORY_KEPT).
    assert '"news_article"."body"' not in reads[0] and "news_category" not in reads[0], sql
    assert not any("photos_" in q or 'FROM "news_category"' in q for q in sql), sql
    assert sum(q.startswith('SELECT "news_article"."id"') for q in sql) == 1, sql


def test_the_holes_follow_the_site_without_rendering_the_story_again(client):
    story = a_full_story()
    path = story.get_absolute_url()
    get(client, path)
    kept = StoryPage.objects.get(article=story).html
    banner("Новий банер", places=("sidebar",))  # a change of the site, not of the story
    LiveEntry.objects.create(
        coverage=LiveCoverage.objects.create(article=story), text="<p>Свіже оновлення</p>"
    )
    page = get(client, path)
    assert carried(page, "sidebar") and "Свіже оновлення" in page
    assert StoryPage.objects.get(article=story).html == kept


@pytest.mark.parametrize(
    "change, shown",
    [
        (lambda s: _save(s, "Нова назва"), "Нова назва"),
        (lambda s: _rename(s.category, "Влада"), '">Влада</a></p>'),  # the story's rubric
        (lambda s: _rename(s.tags.get(name="НАТО"), "Альянс"), "#Альянс"),
        (lambda s: _rename(s.authors.get(), "Олена Коваль"), "Олена Коваль"),
        (lambda s: _caption(s.cover, "Новий підпис"), "Новий підпис"),
        (lambda s: s.tags.add(factories.tag("Дипломатія")), "#Дипломатія"),
        (lambda s: factories.tag("Оборона").articles.add(s), "#Оборона"),
    ],
    ids=["edited", "rubric", "tag", "author", "photo", "tag-added", "tag-added-reverse"],
)  # fmt: skip
def test_a_change_of_what_the_story_shows_reaches_its_kept_page_at_once(client, change, shown):
    story = a_full_story()
    path = story.get_absolute_url()
    get(client, path)
    assert StoryPage.objects.filter(article=story).exists()
    change(Article.objects.get(pk=story.pk))
    assert shown in get(client, path)
    assert shown in get(client, path)  # and in the page kept again


def _save(story, title):
    story.title = title
    story.save()


def _rename(thing, name):
    thing.name = name
    thing.save()


def _caption(image, caption):
    image.caption = caption
    image.save()


def test_a_tag_cleared_from_its_stories_leaves_their_pages(client):
    story = a_full_story()
    assert "#НАТО" in get(client, story.get_absolute_url())
    story.tags.get(name="НАТО").articles.clear()
    assert "#НАТО" not in get(client, story.get_absolute_url())


def test_an_unpublished_story_is_gone_though_its_page_was_kept(client):
    story = a_full_story()
    path = story.get_absolute_url()
    get(client, path)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)  # no signal at all
    assert client.get(path).status_code == 404
    assert StoryPage.objects.filter(article=story).exists()  # kept, never shown


def test_a_preview_neither_reads_nor_keeps_a_page(client, admin_user):
    story = a_full_story(status=Article.Status.DRAFT)
    client.force_login(admin_user)
    response = client.get(f"/peredohliad/{story.pk}/")
    assert response.status_code == 200
    assert "Попередній перегляд" in response.content.decode()
    assert not StoryPage.objects.exists()


def test_a_new_release_renders_each_page_again(client, monkeypatch):
    story = a_full_story()
    path = story.get_absolute_url()
    get(client, path)
    StoryPage.objects.filter(article=story).update(html=StoryPage.objects.get().html + "СТАРЕ")
    assert "СТАРЕ" in get(client, path)  # the same release: the kept page is used
    monkeypatch.setattr(stored, "_release", "another-release")
    assert "СТАРЕ" not in get(client, path)
    assert StoryPage.objects.get().stamp.startswith("another-release:")


def test_a_new_process_fills_a_kept_page_before_rendering_any(client, settings, monkeypatch):
    story = a_full_story()
    path = story.get_absolute_url()
    expected = whole(client, settings, path)
    get(client, path)
    # A process that has compiled no template yet: its holes are registered on the way.
    monkeypatch.setattr(stored, "_holes", {})
    monkeypatch.setattr(stored, "_templates", {})
    from django.template import engines

    for loader in engines["django"].engine.template_loaders:
        loader.reset()
    assert get(client, path) == expected


def test_a_mark_in_the_story_text_is_rendered_whole_and_not_kept(client, settings):
    story = factories.article("Назва", lead=f"Вступ {stored.MARK}menu{stored.MARK} далі")
    path = story.get_absolute_url()
    expected = whole(client, settings, path)
    assert get(client, path) == expected
    assert not StoryPage.objects.exists()


def test_off_by_setting_nothing_is_kept(client, settings):
    settings.SHPALTA_STORED_PAGES = False
    story = factories.article("Назва")
    get(client, story.get_absolute_url())
    assert not StoryPage.objects.exists()
