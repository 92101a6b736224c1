"""Hostile input from outside: a NUL byte anywhere a query could reach is refused first.

PostgreSQL refuses NUL in text (psycopg.DataError), so before this every view, look-up or
middleware that put a path or parameter into a query answered 500 there. Run on both databases.
"""

import pytest

from shpalta.news import factories

pytestmark = pytest.mark.django_db

PATHS_WITH_NUL = [
    "/novyny/%00/",
    "/tema/%00/",
    "/avtor/x%00/",
    "/rubryka/%00/",
    "/%00",
    "/%00/",
    "/media/%00",
    "/search%00/",
    "/novyny/x%00y/",
    "/tema/a%00b/feed/",
    "/api/articles/%00",
    "/novyny/%2500/",  # decoded twice by the old-address look-up
    "/%2500",
]
PARAMETERS_WITH_NUL = [
    "/?p=%00",
    "/?page_id=%00",
    "/?cat=%00",
    "/?tag=%00",
    "/?author=%00",
    "/?p=1%00",
    "/?%00=1",
    "/?page=%00",
    "/search/?q=%00",
    "/search/?q=%D0%BD%D0%B0%D1%82%D0%BE%00",
    "/api/articles?q=%00",
    "/api/articles?tag=%00",
    "/api/search?q=x&category=%00",
    "/blog/?p=%00",
    "/novyny/nemaie/?p=%00",
    "/?p=%2500",  # decoded twice by the old-address look-up
    "/?page_id=1%2500",
]


@pytest.fixture
def site():
    factories.article("Новина", category=factories.category("Політика"), tags=["вибори"])


@pytest.mark.parametrize("url", PATHS_WITH_NUL)
def test_a_nul_in_the_path_is_not_found(client, site, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", PARAMETERS_WITH_NUL)
def test_a_nul_in_a_parameter_is_a_bad_request(client, site, url):
    assert client.get(url).status_code == 400


def test_a_raw_nul_in_the_query_string_is_a_bad_request(client, site):
    assert client.get("/", QUERY_STRING="p=\x00").status_code == 400


def test_a_nul_in_a_cookie_is_a_bad_request(client, site):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/").status_code == 400


def test_a_nul_in_a_head_request_is_refused_too(client, site):
    assert client.head("/novyny/%00/").status_code == 404
    assert client.head("/?p=%00").status_code == 400


def test_requests_without_a_nul_are_untouched(client, site):
    assert client.get("/").status_code == 200
    assert client.get("/?p=100%25").status_code == 200
    assert client.get("/?p=1%252500").status_code == 200  # "%2500" even decoded twice: no NUL
    assert client.get("/search/", {"q": "вибори"}).status_code == 200
    assert client.get("/novyny/nemaie/").status_code == 404


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/articles/%00", 404),
        ("/api/nemaie%00", 404),
        ("/api/articles?q=%00", 400),
        ("/api/search?q=%00", 400),
    ],
)
def test_the_api_refuses_in_its_own_error_shape(client, site, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert list(response.json()) == ["detail"]


def test_the_api_schema_documents_the_bad_request(client):
    schema = client.get("/api/openapi.json").json()
    for operations in schema["paths"].values():
        for operation in operations.values():
            assert "400" in operation["responses"]
