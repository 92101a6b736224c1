"""/search/ and /api/search as a reader and a client see them, including hostile input."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings

import shpalta
from shpalta.news import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_like():
    """The seed's headline and first paragraph (the full import is tested in test_seed.py)."""
    politics = factories.category("Політика")
    return factories.article(
        "Зеленський прагне вступити до НАТО до завершення президентства Байдена",
        body=(
            "<p>Президент України Володимир Зеленський висловлює надію на отримання запрошення "
            "до НАТО від президента США Джо Байдена. Зеленський вважає, що цей крок дозволить "
            "Києву вступити у переговори з Москвою з позиції сили.</p>"
        ),
        category=politics,
    )


def test_results_page_highlights_original_forms(client, seed_like):
    response = client.get("/search/", {"q": "Байдену"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "президентства <mark>Байдена</mark>" in html
    assert "Джо <mark>Байдена</mark>" in html
    assert 'value="Байдену"' in html  # the query stays in the box
    assert seed_like.get_absolute_url() in html
    assert "Політика" in html


def test_highlight_is_escaped(client):
    factories.article("Заголовок <b>жирний</b> & вибори", body="<p>Про вибори &lt;script&gt;</p>")
    html = client.get("/search/", {"q": "вибори"}).content.decode()
    assert "&lt;b&gt;жирний&lt;/b&gt; &amp; <mark>вибори</mark>" in html
    assert "<script>" not in html


def test_query_with_markup_is_shown_escaped(client):
    html = client.get("/search/", {"q": '<script>alert(1)</script>"'}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_empty_query_shows_help(client):
    html = client.get("/search/").content.decode()
    assert "Введіть слово" in html


def test_nothing_found_says_so_kindly(client):
    response = client.get("/search/", {"q": "квазар"})
    assert "нічого не знайдено" in response.content.decode()


def test_wrong_keyboard_layout_is_searched_straight_away(client, seed_like):
    """As big search engines do: the results for what was meant, written as the texts write
    it, and a link to search exactly what was typed."""
    html = client.get("/search/", {"q": "pfktycmrbq"}).content.decode()
    assert "Показано результати для «Зеленський»." in html
    assert '<a href="?q=pfktycmrbq&amp;as_typed=1">Шукати саме «pfktycmrbq»</a>' in html
    assert seed_like.get_absolute_url() in html
    assert "<mark>Зеленський</mark>" in html
    assert 'value="Зеленський"' in html  # the box and the pages go on with the corrected query
    assert "нічого не знайдено" not in html and "Можливо" not in html


def test_searching_as_typed_only_suggests_the_layout_switch(client, seed_like):
    html = client.get("/search/", {"q": "pfktycmrbq", "as_typed": "1"}).content.decode()
    assert "нічого не знайдено" in html and "Показано результати" not in html
    assert "Можливо, ви мали на увазі" in html
    assert "?q=%D0%B7%D0%B5%D0%BB%D0%B5%D0%BD%D1%81%D1%8C%D0%BA%D0%B8%D0%B9" in html  # зеленський


def test_small_typo_is_suggested(client, seed_like):
    html = client.get("/search/", {"q": "переговрах"}).content.decode()
    assert "Можливо, ви мали на увазі" in html
    assert "переговорах</a>" in html
    assert "Показано результати" not in html  # a typo fix is offered, not searched


def test_a_word_missing_its_apostrophe_finds_the_word(client):
    found = factories.article("Громади завершили об'єднання", body="<p>Про п'яту сесію.</p>")
    factories.article("Інша новина", body="<p>Нічого спільного.</p>")
    for typed in ("обєднання", "пята"):
        html = client.get("/search/", {"q": typed}).content.decode()
        assert found.get_absolute_url() in html, typed
        assert "Знайдено 1 статтю" in html
    html = client.get("/search/", {"q": "обєднання"}).content.decode()
    assert "<mark>об&#x27;єднання</mark>" in html


def test_a_long_query_is_echoed_in_a_paragraph_that_breaks_anywhere(client):
    """A pasted URL once made the page 512px wide on a 375px phone."""
    query = "https://example.com/" + "дуже-довгий-запит" * 10
    html = client.get("/search/", {"q": query}).content.decode()
    assert '<p class="search-query-echo">За запитом «' + query[:60] in html
    css = (Path(shpalta.__file__).parent / "static" / "shpalta" / "site.css").read_text()
    assert ".search-query-echo { overflow-wrap: anywhere; }" in css


def test_no_suggestion_when_the_query_is_fine(client, seed_like):
    assert "Можливо" not in client.get("/search/", {"q": "НАТО"}).content.decode()


def test_category_and_date_filters_on_the_page(client):
    sport = factories.category("Спорт")
    factories.article("Футбол: збірна перемогла", category=sport, age=timedelta(days=3))
    factories.article("Футбол у політиці", age=timedelta(days=3))
    html = client.get("/search/", {"q": "футбол", "category": "sport"}).content.decode()
    assert "збірна" in html and "у політиці" not in html
    html = client.get("/search/", {"q": "футбол", "date_to": "2001-01-01"}).content.decode()
    assert "нічого не знайдено" in html
    html = client.get("/search/", {"q": "футбол", "date_from": "not-a-date"}).content.decode()
    assert "збірна" in html  # a bad date is ignored, not an error


def test_pagination_keeps_the_query(client):
    for n in range(12):
        factories.article(f"Новина {n} про податки", age=timedelta(hours=n))
    html = client.get("/search/", {"q": "податки"}).content.decode()
    assert "page=2" in html and "q=%D0%BF%D0%BE%D0%B4%D0%B0%D1%82%D0%BA%D0%B8" in html
    assert client.get("/search/", {"q": "податки", "page": "2"}).status_code == 200
    assert client.get("/search/", {"q": "податки", "page": "999"}).status_code == 200
    assert client.get("/search/", {"q": "податки", "page": "x"}).status_code == 200


BAD_QUERIES = [
    "",
    " ",
    "а" * 10_000,
    "слово " * 2_000,
    "!!! ??? ... ,,, ---",
    '"',
    "*",
    ":",
    "( )",
    "NEAR",
    "NEAR(a b)",
    "AND OR NOT",
    "-",
    "'",
    ";",
    "' OR 1=1; DROP TABLE news_article; --",
    '"зеленський" AND (байден OR NEAR) * : ^ {t} : -x',
    "t:нато",
    "{t l b} : нато",
    "\x00\x01\x02\x1f\x7f",
    "нато\x00байден",
    "\\",
    "%",
    "_",
    "п'ять ' ' '",
    "🙂🙃",
    "\U00017000",  # a letter without a Unicode name (pymorphy3 asks for one)
]


@pytest.mark.parametrize("q", BAD_QUERIES)
def test_bad_input_is_a_normal_page(client, seed_like, q):
    if "\x00" in q:  # refused before any view by shpalta.ops.nul (PostgreSQL refuses NUL)
        assert client.get("/search/", {"q": q}).status_code == 400
        assert client.get("/api/search", {"q": q}).status_code == 400
        return
    assert client.get("/search/", {"q": q}).status_code == 200
    response = client.get("/api/search", {"q": q})
    assert response.status_code == 200, response.content
    assert set(response.json()) >= {"items", "count"}


def test_invalid_utf8_in_the_query_string(client, seed_like):
    for raw in [
        "q=%FF%FE",
        "q=%D0",
        "q=%C0%80НАТО",
        "q=%E2%28%A1",
        "q=%ED%A0%80",
        "q=НАТО&page=%FF",
    ]:
        assert client.get("/search/?" + raw).status_code == 200
        assert client.get("/api/search?" + raw).status_code in (200, 422)


@override_settings(SHPALTA_SEARCH_RATE_LIMIT=3)
def test_rate_limited_per_client(client):
    for _ in range(3):
        assert client.get("/search/", {"q": "НАТО"}).status_code == 200
    response = client.get("/search/", {"q": "НАТО"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Забагато" in response.content.decode()
    api = client.get("/api/search", {"q": "НАТО"})
    assert api.status_code == 429
    assert api.json()["detail"].startswith("Забагато запитів. Зачекайте ")
    other = client.get("/search/", {"q": "НАТО"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


def test_api_returns_the_same_results(client, seed_like):
    factories.article("Інша новина", body="<p>Про НАТО коротко.</p>", age=timedelta(days=2))
    data = client.get("/api/search", {"q": "НАТО"}).json()
    assert data["count"] == 2
    assert [i["id"] for i in data["items"]][0] == seed_like.pk
    assert data["items"][0]["url"] == seed_like.get_absolute_url()
    assert "<mark>НАТО</mark>" in data["items"][0]["snippet_html"]
    assert data["items"][0]["category"]["name"] == "Політика"
    page = client.get("/api/search", {"q": "НАТО", "page_size": 1, "page": 2}).json()
    assert [i["title"] for i in page["items"]] == ["Інша новина"]
    assert client.get("/api/search", {"q": "НАТО", "page": 5}).json()["items"] == []
    for bad in ({"page_size": 500}, {"page_size": 0}, {"page": 0}):  # the schema's bounds
        assert client.get("/api/search", {"q": "НАТО", **bad}).status_code == 422


def test_api_unknown_category_finds_nothing(client, seed_like):
    """As /api/articles does: a client's typo is not a search of every category."""
    data = client.get("/api/search", {"q": "НАТО", "category": "nemaie"}).json()
    assert (data["items"], data["count"]) == ([], 0)
    politics = client.get("/api/search", {"q": "НАТО", "category": "polityka"}).json()
    assert [i["id"] for i in politics["items"]] == [seed_like.pk]


@pytest.mark.parametrize("category", ["\x00polityka", "не slug", "a/b"])
def test_api_category_must_look_like_a_slug(client, seed_like, category):
    """As /api/articles: a 422, not a database error (PostgreSQL refuses NUL in text: a NUL is
    a 400 before the API, from shpalta.ops.nul)."""
    response = client.get("/api/search", {"q": "НАТО", "category": category})
    assert response.status_code == (400 if "\x00" in category else 422)


def test_api_suggestion(client, seed_like):
    data = client.get("/api/search", {"q": "pfktycmrbq"}).json()
    assert data == {"items": [], "count": 0, "count_is_exact": True, "suggestion": "зеленський"}


def test_api_dates_must_be_iso(client, seed_like):
    assert client.get("/api/search", {"q": "НАТО", "date_to": "0"}).status_code == 422
    assert client.get("/api/search", {"q": "НАТО", "date_to": "2001-01-01"}).json()["count"] == 0


@override_settings(SHPALTA_SEARCH_RATE_LIMIT=1, SHPALTA_TRUSTED_PROXIES=1)
def test_rate_limit_sees_the_client_behind_the_proxy(client):
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client.get("/search/", {"q": "НАТО"}, **first).status_code == 200
    assert client.get("/search/", {"q": "НАТО"}, **first).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert client.get("/search/", {"q": "НАТО"}, **other).status_code == 200
