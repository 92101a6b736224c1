"""`shpalta keep_pages`: every published story's page kept (drafts and scheduled stories
never), each as its first reader's view would keep it; the static files collected first when
missing, as `shpalta serve` collects them, since their manifest is part of the release a page
is kept for (pages kept before the server's own collection would all be rendered again)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from shpalta.news import factories, stored
from shpalta.news.models import Article, StoryPage
from shpalta.ops.static import STAMP_NAME, ensure_static

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def stored_on(settings, tmp_path):
    settings.SHPALTA_PAGE_CACHE = False
    settings.SHPALTA_STORED_PAGES = True
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 3600  # the site version read: pages may be kept
    settings.STATIC_ROOT = str(tmp_path / "static")  # nothing collected yet


def test_every_published_story_is_kept_and_nothing_else():
    published = [factories.article(f"Новина {n}") for n in range(3)]
    draft = factories.article("Чернетка", status=Article.Status.DRAFT)
    later = factories.article("Пізніше", published_at=timezone.now() + timedelta(hours=2))
    out = StringIO()
    call_command("keep_pages", "--quiet-progress", stdout=out)
    assert out.getvalue().strip().endswith("збережено 3 сторінки, не вдалося: 0")
    assert set(StoryPage.objects.values_list("article_id", flat=True)) == {
        story.pk for story in published
    }
    assert not StoryPage.objects.filter(article__in=[draft, later]).exists()
    assert not stored.not_kept().exists()


def test_the_static_files_are_collected_first_as_the_server_would(settings, tmp_path):
    factories.article("Новина")
    call_command("keep_pages", "--quiet-progress", stdout=StringIO())
    assert (tmp_path / "static" / STAMP_NAME).exists()
    assert ensure_static(log=lambda line: None) is False  # the server's start: nothing to do
