"""`shpalta load_demo` counts plausible views through the real counting path, so a fresh
`make run` shows «Популярне» on the home page and beside every story."""

import re

import pytest
from django.core.management import call_command
from django.db.models import Sum

from shpalta.news import demo as news_demo
from shpalta.news.models import Article
from shpalta.popular import demo
from shpalta.popular.models import HourlyViews, ReaderMark

from .conftest import beacon

ITEM = re.compile(r'<li class="popular__item"><a href="([^"]+)">')


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def load_demo() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def total_views() -> int:
    return HourlyViews.objects.aggregate(n=Sum("views"))["n"] or 0


def popular_links(html: str, classes: str) -> list[str]:
    block = html.split(f'class="{classes}"', 1)
    assert len(block) == 2, f"no «Популярне» block ({classes})"
    return ITEM.findall(block[1].split("</section>", 1)[0])


@pytest.mark.django_db
def test_after_load_demo_the_home_and_article_pages_show_popular_stories(media, client):
    load_demo()
    home = client.get("/").content.decode()
    assert "Популярне" in home
    assert len(popular_links(home, "popular popular--home")) == 5
    story = Article.objects.published().filter(import_source=news_demo.SOURCE).last()
    page = client.get(story.get_absolute_url()).content.decode()
    beside = popular_links(page, "popular")
    assert len(beside) == 5
    assert story.get_absolute_url() not in beside


@pytest.mark.django_db
def test_the_views_are_counted_readers_not_raw_numbers(media):
    load_demo()
    assert total_views() == sum(demo.READERS)
    assert ReaderMark.objects.exists()  # each went through de-duplication like a beacon
    per_story = HourlyViews.objects.values("article").annotate(n=Sum("views"))
    assert sorted((row["n"] for row in per_story), reverse=True) == demo.READERS
    readable = set(Article.objects.published().values_list("pk", flat=True))
    assert {row["article"] for row in per_story} <= readable  # never a scheduled story


@pytest.mark.django_db
def test_loading_the_demo_again_adds_no_views(media):
    load_demo()
    load_demo()
    assert total_views() == sum(demo.READERS)


@pytest.mark.django_db
def test_a_site_with_real_readers_gets_no_demo_views(media, client):
    news_demo.load()
    story = Article.objects.published().first()
    assert beacon(client, story.pk).status_code == 204
    load_demo()
    assert total_views() == 1


@pytest.mark.django_db
def test_the_demo_views_reach_the_database_through_redis_too(media, redis_counter):
    load_demo()
    assert total_views() == sum(demo.READERS)
    assert redis_counter.pending_views() == 0
