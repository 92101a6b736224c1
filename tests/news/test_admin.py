import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from PIL import Image

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.photos import library
from tests.conftest import article_form

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def form_data(**overrides):
    return article_form(
        "Нова стаття з адмінки",
        "<p>Текст <strong>статті</strong>.</p><script>alert(1)</script>",
        lead="Лід.",
        **overrides,
    )


def test_the_article_list_has_the_editorial_filters(staff_client):
    writer = factories.author("Олена Петренко")
    factories.article("У списку", category=factories.category("Політика"), authors=[writer])
    factories.article("Інша", category=factories.category("Спорт"), authors=[factories.author()])
    html = staff_client.get("/admin/news/article/").content.decode()
    assert "У списку" in html
    for filter_param in ("status__exact", "category__id__exact", "authors__id__exact"):
        assert filter_param in html
    assert 'name="q"' in html


def test_the_list_searches_titles(staff_client):
    factories.article("Про мости Києва")
    factories.article("Про енергетику")
    html = staff_client.get("/admin/news/article/?q=мости").content.decode()
    assert "Про мости Києва" in html and "Про енергетику" not in html


def test_the_editor_form_uses_the_rich_text_editor(staff_client):
    html = staff_client.get("/admin/news/article/add/").content.decode()
    assert "prose-editor" in html


def test_an_editor_publishes_an_article_with_a_cover(staff_client):
    cover, _ = library.add(png_bytes(), "cover.png", alt="Темно-синій прямокутник")
    response = staff_client.post("/admin/news/article/add/", form_data(cover=cover.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.slug == "nova-stattia-z-adminky"
    assert "<script>" not in article.body and "<strong>статті</strong>" in article.body
    assert article.cover == cover
    assert staff_client.get(article.get_absolute_url()).status_code == 200


def test_history_names_the_editor(staff_client):
    staff_client.post("/admin/news/article/add/", form_data())
    article = Article.objects.get()
    assert article.history.first().history_user.username == "redaktor"
    html = staff_client.get(f"/admin/news/article/{article.pk}/history/").content.decode()
    assert "redaktor" in html


def test_a_draft_links_to_its_preview(staff_client):
    draft = factories.article("Чернетка", status=Article.Status.DRAFT)
    html = staff_client.get("/admin/news/article/").content.decode()
    assert f"/peredohliad/{draft.pk}/" in html


def test_the_publish_action_publishes(staff_client):
    draft = factories.article("Чернетка", status=Article.Status.DRAFT)
    staff_client.post(
        "/admin/news/article/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def change_page(staff_client, article) -> str:
    return staff_client.get(f"/admin/news/article/{article.pk}/change/").content.decode()


def view_on_site_href(html: str) -> str:
    start = html.index('class="viewsitelink"')
    tag = html[html.rindex("<a ", 0, start) : html.index(">", start)]
    return tag.split('href="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},  # scheduled
    ],
    ids=["draft", "scheduled"],
)
def test_view_on_site_opens_the_preview_while_the_article_is_not_live(staff_client, fields):
    article = factories.article("Не на сайті", **fields)
    href = view_on_site_href(change_page(staff_client, article))
    assert href == f"/peredohliad/{article.pk}/"
    assert staff_client.get(href).status_code == 200


def test_view_on_site_opens_the_public_page_of_a_live_article(staff_client):
    article = factories.article("На сайті")
    href = view_on_site_href(change_page(staff_client, article))
    assert staff_client.get(href, follow=True).request["PATH_INFO"] == article.get_absolute_url()


def edit_form(article, **fields):
    """The change form as the browser posts it: the time shown, and the hidden initial
    copy Django compares it with to tell whether the editor touched it."""
    shown = timezone.localtime(article.published_at)
    date, time = shown.strftime("%Y-%m-%d"), shown.strftime("%H:%M:%S")
    data = article_form(article.title, article.body, slug=article.slug, status=article.status)
    data |= {"published_at_0": date, "published_at_1": time}
    data |= {"initial-published_at_0": date, "initial-published_at_1": time}
    return data | fields


def test_publishing_a_draft_in_the_form_dates_it_now(staff_client):
    draft = factories.article("Стара чернетка", status="draft", age=timedelta(hours=3))
    before = timezone.now().replace(microsecond=0)
    response = staff_client.post(
        f"/admin/news/article/{draft.pk}/change/", edit_form(draft, status="published")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.is_live and draft.published_at >= before


def test_a_past_time_the_editor_sets_while_publishing_stays(staff_client):
    draft = factories.article("Заднім числом", status="draft", age=timedelta(hours=3))
    backdated = timezone.localtime() - timedelta(days=2)
    data = edit_form(
        draft,
        status="published",
        published_at_0=backdated.strftime("%Y-%m-%d"),
        published_at_1=backdated.strftime("%H:%M:%S"),
    )
    staff_client.post(f"/admin/news/article/{draft.pk}/change/", data)
    draft.refresh_from_db()
    assert draft.published_at == backdated.replace(microsecond=0)


def test_a_draft_scheduled_for_later_keeps_its_time_when_published(staff_client):
    later = (timezone.now() + timedelta(hours=5)).replace(microsecond=0)
    draft = factories.article("Вечірня", status="draft", published_at=later)
    staff_client.post(
        f"/admin/news/article/{draft.pk}/change/", edit_form(draft, status="published")
    )
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at == later


def test_editing_a_published_article_keeps_its_time(staff_client):
    story = factories.article("Вчорашня", age=timedelta(days=1))
    story.published_at = story.published_at.replace(microsecond=0)
    story.save()
    staff_client.post(f"/admin/news/article/{story.pk}/change/", edit_form(story, lead="Новий."))
    published_at = story.published_at
    story.refresh_from_db()
    assert story.lead == "Новий." and story.published_at == published_at


def test_the_publish_action_dates_drafts_now(staff_client):
    draft = factories.article("Давня чернетка", status="draft", age=timedelta(hours=6))
    before = timezone.now()
    staff_client.post("/admin/news/article/", {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.published_at >= before


def run_action(staff_client, action: str, articles) -> list[str]:
    response = staff_client.post(
        "/admin/news/article/",
        {"action": action, "_selected_action": [article.pk for article in articles]},
    )
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("count", "words"),
    [(1, "Опубліковано 1 статтю"), (3, "Опубліковано 3 статті"), (5, "Опубліковано 5 статей")],
)
def test_the_publish_action_says_how_many_in_ukrainian(staff_client, count, words):
    drafts = [factories.article(status="draft") for _ in range(count)]
    assert run_action(staff_client, "publish", drafts) == [words]


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "Знято з публікації 1 статтю"),
        (2, "Знято з публікації 2 статті"),
        (5, "Знято з публікації 5 статей"),
    ],
)
def test_the_unpublish_action_says_how_many_in_ukrainian(staff_client, count, words):
    stories = [factories.article() for _ in range(count)]
    assert run_action(staff_client, "unpublish", stories) == [words]


def test_the_list_shows_what_an_editor_scans(staff_client):
    factories.article("Рядок", category=factories.category("Політика та суспільство"))
    page = staff_client.get("/admin/news/article/")
    columns = page.context["cl"].list_display
    assert "updated_at" not in columns and "status" not in columns
    assert len(columns) <= 8  # the action checkbox, and seven narrow columns
    html = page.content.decode()
    assert "news/article_list.css" in html  # headers may wrap
    assert '<td class="field-rubric">Політика та суспільство</td>' in html  # may wrap too


def row_of(html: str, title: str) -> str:
    row = html[html.index(title) :]
    return row[: row.index("</tr>")]


def test_the_list_tells_scheduled_articles_from_live_ones(staff_client):
    factories.article("Жива")
    factories.article("Запланована", published_at=timezone.now() + timedelta(hours=1))
    factories.article("Чорнова", status="draft")
    html = staff_client.get("/admin/news/article/").content.decode()
    assert "заплановано" in row_of(html, "Запланована")
    assert "опубліковано" in row_of(html, "Жива")
    assert "чернетка" in row_of(html, "Чорнова")


@pytest.mark.parametrize(
    ("state", "listed"),
    [("scheduled", "Запланована"), ("published", "Жива"), ("draft", "Чорнова")],
)
def test_the_state_filter_separates_scheduled_live_and_drafts(staff_client, state, listed):
    factories.article("Жива")
    factories.article("Запланована", published_at=timezone.now() + timedelta(hours=1))
    factories.article("Чорнова", status="draft")
    page = staff_client.get(f"/admin/news/article/?status__exact={state}")
    titles = [article.title for article in page.context["cl"].result_list]
    assert titles == [listed]


def test_a_bad_slug_is_explained_in_ukrainian(staff_client):
    response = staff_client.post("/admin/news/article/add/", form_data(slug="погано!"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Введіть коректну адресу (slug)" in html and "Enter a valid" not in html


ALPHABETICAL = ["Антоненко", "Гнатюк", "Ґудзь", "Ємець", "Іваненко", "Їжакевич", "Яковенко"]


def test_tags_are_listed_in_ukrainian_alphabetical_order(staff_client):
    for name in reversed(ALPHABETICAL):
        factories.tag(name)
    page = staff_client.get("/admin/news/tag/")
    assert [tag.name for tag in page.context["cl"].result_list] == ALPHABETICAL


def test_the_author_autocomplete_is_in_ukrainian_alphabetical_order(staff_client):
    for name in reversed(ALPHABETICAL):
        factories.author(name)
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "news", "model_name": "article", "field_name": "authors"},
    )
    assert [result["text"] for result in response.json()["results"]] == ALPHABETICAL
