from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from shpalta.news import factories
from shpalta.news.models import Article, Category, OldSlug

pytestmark = pytest.mark.django_db


def test_published_shows_only_live_articles():
    live = factories.article("Опублікована")
    factories.article("Чернетка", status=Article.Status.DRAFT)
    factories.article("Запланована", published_at=timezone.now() + timedelta(hours=1))
    assert list(Article.objects.published()) == [live]


def test_released_includes_scheduled_articles_but_not_drafts():
    live = factories.article("Опублікована")
    factories.article("Чернетка", status=Article.Status.DRAFT)
    later = factories.article("Запланована", published_at=timezone.now() + timedelta(hours=1))
    assert set(Article.objects.released()) == {live, later}


def test_a_rubric_holds_the_stories_of_its_rubrics_at_any_depth():
    world = Category.objects.create(name="Світ")
    europe = Category.objects.create(name="Європа", parent=world)
    poland = Category.objects.create(name="Польща", parent=europe)
    sport = Category.objects.create(name="Спорт")
    stories = [factories.article(f"Новина {n}", category=c) for n, c in enumerate([world, poland])]
    factories.article("Матч", category=sport)
    assert world.descendant_ids() == {world.pk, europe.pk, poland.pk}
    assert set(Article.objects.in_category(world)) == set(stories)
    assert list(Article.objects.in_category(poland)) == [stories[1]]


def test_a_cycle_of_rubrics_does_not_hang_the_walk():
    first = Category.objects.create(name="Перша")
    second = Category.objects.create(name="Друга", parent=first)
    first.parent = second
    first.save()
    assert first.descendant_ids() == {first.pk, second.pk}


def test_a_scheduled_article_appears_when_its_time_comes():
    article = factories.article("На завтра", published_at=timezone.now() + timedelta(days=1))
    assert not Article.objects.published().exists()
    with freeze_time(timezone.now() + timedelta(days=1, seconds=1)):
        assert article.is_live


def test_slug_comes_from_the_title_by_kmu_2010():
    article = factories.article("Київ готовий самостійно відновлювати міст Патона")
    assert article.slug == "kyiv-hotovyi-samostiino-vidnovliuvaty-mist-patona"
    assert article.get_absolute_url() == f"/novyny/{article.slug}/"


def test_equal_titles_get_distinct_slugs():
    first = factories.article("Однаковий заголовок")
    second = factories.article("Однаковий заголовок")
    assert first.slug == "odnakovyi-zaholovok"
    assert second.slug == "odnakovyi-zaholovok-2"


def test_slug_is_stable_when_the_title_changes():
    article = factories.article("Перший заголовок")
    article.title = "Зовсім інший заголовок"
    article.save()
    article.refresh_from_db()
    assert article.slug == "pershyi-zaholovok"


def test_changing_the_slug_remembers_the_old_one():
    article = factories.article("Стара адреса")
    article.slug = "nova-adresa"
    article.save()
    assert OldSlug.objects.get(slug="stara-adresa").article == article


def test_a_new_article_cannot_take_an_old_slug_that_still_redirects():
    article = factories.article("Стара адреса")
    article.slug = "nova-adresa"
    article.save()
    newcomer = factories.article("Стара адреса")
    assert newcomer.slug == "stara-adresa-2"


def test_changing_the_slug_back_does_not_redirect_to_itself():
    article = factories.article("Туди")
    article.slug = "siudy"
    article.save()
    article.slug = "tudy"
    article.save()
    assert list(OldSlug.objects.values_list("slug", flat=True)) == ["siudy"]


def test_body_is_sanitised_and_stored_as_plain_text_too():
    article = factories.article(
        "Безпечний текст",
        body='<p onclick="x()">Привіт <script>alert(1)</script><a href="javascript:x">тут</a></p>',
    )
    assert "script" not in article.body and "onclick" not in article.body
    assert "javascript" not in article.body
    assert article.body_text == "Привіт тут"


def test_teaser_prefers_excerpt_then_lead_then_body():
    article = factories.article("Т", body="<p>Тіло.</p>")
    assert article.teaser == "Тіло."
    article.lead = "Лід."
    assert article.teaser == "Лід."
    article.excerpt = "Анонс."
    assert article.teaser == "Анонс."


def test_history_records_who_changed_what(django_user_model):
    article = factories.article("Історія")
    article.title = "Історія змін"
    article.save()
    assert article.history.count() == 2
    assert article.history.first().title == "Історія змін"


def test_string_forms_are_the_names():
    category = factories.category("Політика")
    assert str(category) == "Політика"
    assert category.slug == "polityka"
    assert str(factories.tag("НАТО")) == "НАТО"
    assert str(factories.author("Олена Петренко")) == "Олена Петренко"
