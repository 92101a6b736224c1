import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time
from PIL import Image

from shpalta.news import factories
from shpalta.news.models import Article, Category, OldSlug
from shpalta.text.cleaning import teaser

pytestmark = pytest.mark.django_db


@pytest.fixture
def cover_file(settings, tmp_path):
    """A JPEG of the given size, uploaded into a media directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path

    def make(width: int, height: int) -> ContentFile:
        out = io.BytesIO()
        Image.new("RGB", (width, height), "navy").save(out, "JPEG")
        return ContentFile(out.getvalue(), name="cover.jpg")

    return make


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


def _slug_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('SELECT "news_article"."slug"')]


def test_saving_an_unchanged_article_does_not_read_its_old_slug():
    article = Article.objects.get(pk=factories.article("Без змін").pk)
    with CaptureQueriesContext(connection) as captured:
        article.save()
    assert _slug_reads(captured.captured_queries) == []


def test_a_slug_changed_on_a_loaded_article_is_remembered_without_a_read():
    article = Article.objects.get(pk=factories.article("Завантажена").pk)
    article.slug = "inshe-imia"
    with CaptureQueriesContext(connection) as captured:
        article.save()
    assert _slug_reads(captured.captured_queries) == []
    assert OldSlug.objects.get(slug="zavantazhena").article == article


def test_a_slug_refreshed_from_the_database_is_the_one_remembered():
    article = factories.article("Перша адреса")
    Article.objects.filter(pk=article.pk).update(slug="druha-adresa")
    article.refresh_from_db()
    article.slug = "tretia-adresa"
    article.save()
    assert set(OldSlug.objects.values_list("slug", flat=True)) == {"druha-adresa"}


def test_a_loaded_article_with_its_slug_deferred_still_remembers_the_old_one():
    article = Article.objects.only("title").get(pk=factories.article("Відкладена").pk)
    article.slug = "nove-imia"
    article.save()
    assert OldSlug.objects.get(slug="vidkladena").article == article


def test_teasers_come_from_the_stored_plain_text_not_the_html():
    made = factories.article("Т", body="<p>Ціна &lt;b&gt; 5 &amp; 6</p><p>Далі.</p>")
    article = Article.objects.for_listing().get(pk=made.pk)
    assert "body" in article.get_deferred_fields()
    with CaptureQueriesContext(connection) as captured:
        assert article.teaser == "Ціна <b> 5 & 6 Далі."
        assert article.description == "Ціна <b> 5 & 6 Далі."
    assert captured.captured_queries == []


def test_a_long_plain_text_teaser_is_cut_at_a_word_as_before():
    words = " ".join(f"слово{n}" for n in range(60))
    article = factories.article("Довга", body=f"<p>{words}</p>")
    assert article.teaser == teaser(article.body, 160)
    assert article.description == teaser(article.body, 200)
    assert article.teaser.endswith("…") and len(article.teaser) <= 161


def test_an_uploaded_cover_stores_its_size(cover_file):
    article = factories.article("З фото", cover_image=cover_file(320, 180))
    stored = Article.objects.get(pk=article.pk)
    assert (stored.cover_width, stored.cover_height) == (320, 180)


def test_an_article_whose_cover_file_is_gone_still_loads(cover_file):
    article = factories.article("Зникле фото", cover_image=cover_file(320, 180))
    Path(article.cover_image.path).unlink()
    Article.objects.filter(pk=article.pk).update(cover_width=None, cover_height=None)
    stored = Article.objects.get(pk=article.pk)
    assert stored.cover_image and stored.cover_width is None


def test_old_slug_fields_have_ukrainian_labels():
    assert OldSlug._meta.get_field("slug").verbose_name == "стара адреса"
    assert OldSlug._meta.get_field("article").verbose_name == "стаття"


def test_publishing_a_draft_dates_it_now_not_when_it_was_started():
    draft = factories.article("Чернетка", status=Article.Status.DRAFT, age=timedelta(hours=5))
    before = timezone.now()
    assert draft.publish() is True
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.published_at >= before
    assert list(Article.objects.published()[:1]) == [draft]  # the lead, not five hours down


def test_publishing_a_draft_set_for_later_keeps_its_schedule():
    later = timezone.now() + timedelta(hours=2)
    draft = factories.article("Ранкова", status=Article.Status.DRAFT, published_at=later)
    draft.publish()
    draft.refresh_from_db()
    assert draft.published_at == later and draft.is_scheduled


def test_publishing_a_published_article_keeps_its_time():
    story = factories.article("Вчорашня", age=timedelta(days=1))
    published_at = story.published_at
    assert story.publish() is False
    story.refresh_from_db()
    assert story.published_at == published_at


def test_unpublishing_keeps_the_time_and_says_whether_anything_changed():
    story = factories.article("Знята", age=timedelta(hours=1))
    published_at = story.published_at
    assert story.unpublish() is True and story.unpublish() is False
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT and story.published_at == published_at
