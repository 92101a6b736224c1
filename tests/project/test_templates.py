"""The site-wide templates: links come from the URL names, every visible word is a message."""

import ast
import re
from pathlib import Path

import pytest
from django.utils.translation.template import templatize

import shpalta
from shpalta.news.views import server_error

TEMPLATES = Path(shpalta.__file__).parent / "templates"
GETTEXT_CALL = re.compile(r"gettext\((u'(?:[^'\\]|\\.)*')\)")


def messages(template: str) -> set[str]:
    """The msgids makemessages would extract from the template."""
    calls = GETTEXT_CALL.findall(templatize((TEMPLATES / template).read_text()))
    return {ast.literal_eval(call) for call in calls}


def visible_texts(html: str) -> set[str]:
    return {text.strip() for text in re.split(r"<[^>]+>", html) if text.strip()}


@pytest.mark.django_db
@pytest.mark.urls("tests.prefixed_urls")
def test_the_page_frame_and_404_link_through_the_url_names(client):
    response = client.get("/uk/nemaie-takoi-storinky/")
    html = response.content.decode()
    assert response.status_code == 404
    for link in (
        'href="/uk/feed/"',
        'href="/uk/feed/atom/"',
        'action="/uk/search/"',
        'href="/uk/sitemap.xml"',
    ):
        assert link in html
    assert '<a href="/uk/">' in html.split('class="error-page"')[1]
    assert not re.search(r'(href|action)="/(feed|search|sitemap)', html)


def test_the_500_page_is_made_of_messages_and_needs_no_database(rf):
    """No django_db mark: a query while rendering would fail the test."""
    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Щось пішло не так" in html
    assert visible_texts(html) <= messages("500.html")
