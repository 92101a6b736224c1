"""The page's ads script tag, worked out once per process (ads.templatetags.ads._script): its
addresses follow the deployment's script prefix and the static files' names, as a render of
each page would write them."""

import pytest
from django.urls import set_script_prefix

from shpalta.ads.templatetags import ads as ads_tags
from shpalta.news import factories

from .conftest import banner
from .test_targeting import LONG

pytestmark = pytest.mark.django_db


def script_tag(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<script src="')
    assert "ads.js" in html[start : html.index("</script>", start)]
    return html[start : html.index("</script>", start)]


def test_the_script_follows_the_script_prefix(client, settings):
    settings.SHPALTA_PAGE_CACHE = False
    banner("Скрізь", places=("inline",))
    story = factories.article("Новина", body=LONG).get_absolute_url()
    plain = script_tag(client, story)
    assert 'data-endpoint="/api/' in plain
    # as WSGIHandler sets it from SCRIPT_NAME (the test client's handler does not)
    set_script_prefix("/site/")
    try:
        prefixed = script_tag(client, story)
    finally:
        set_script_prefix("/")
    assert 'data-endpoint="/site/api/' in prefixed
    assert script_tag(client, story) == plain  # each prefix its own


def test_the_script_follows_the_static_address(client, settings):
    settings.SHPALTA_PAGE_CACHE = False
    banner("Скрізь", places=("inline",))
    story = factories.article("Новина", body=LONG).get_absolute_url()
    assert 'src="/static/ads/ads.js' in script_tag(client, story)
    settings.STATIC_URL = "https://static.example.com/s/"
    assert 'src="https://static.example.com/s/ads/ads.js' in script_tag(client, story)


def test_the_script_memo_is_bounded():
    """The prefix comes from the request (SCRIPT_NAME): a client must not grow it for good."""
    ads_tags._script.cache_clear()
    for n in range(100):
        ads_tags._script(f"/p{n}/")
    assert ads_tags._script.cache_info().currsize <= 8
