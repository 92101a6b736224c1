"""The page cache's ETag (ops.conditional.set_etag): SHA-256 of the body, changing with any
byte of it, absent where Django's would be absent, and a browser's revalidation of a story page
with it answered 304."""

import hashlib

import pytest
from django.http import HttpResponse, StreamingHttpResponse

from shpalta.news.models import Article
from shpalta.ops.conditional import set_etag


def test_the_tag_is_the_bodys_sha256():
    response = HttpResponse("<p>Сторінка</p>")
    set_etag(response)
    digest = hashlib.sha256("<p>Сторінка</p>".encode()).hexdigest()
    assert response["ETag"] == f'"{digest[:32]}"'


def test_one_byte_more_is_another_tag():
    first, second = HttpResponse(b"<p>page</p>"), HttpResponse(b"<p>page</p> ")
    set_etag(first)
    set_etag(second)
    assert first["ETag"] != second["ETag"]


def test_no_tag_for_an_empty_or_streamed_body():
    empty, streamed = HttpResponse(b""), StreamingHttpResponse(iter([b"a"]))
    set_etag(empty)
    set_etag(streamed)
    assert not empty.has_header("ETag")
    assert not streamed.has_header("ETag")


@pytest.mark.django_db
def test_a_story_page_carries_it_and_a_revalidation_is_a_304(client, settings):
    settings.SHPALTA_PAGE_CACHE = False
    story = Article.objects.create(
        title="Міст через Дніпро відкрили", body="<p>Текст новини.</p>", status="published"
    )
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    digest = hashlib.sha256(page.content).hexdigest()[:32]
    assert page["ETag"] == f'"{digest}"'
    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304
