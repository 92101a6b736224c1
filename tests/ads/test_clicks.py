"""The click redirect leads only where the newsroom pointed the creative: unsigned, altered or
re-targeted links answer 400, never a redirect; clicks count like impressions."""

from urllib.parse import parse_qs, urlsplit

import pytest

from shpalta.ads.clicks import click_url, signature
from shpalta.ads.models import DailyStats
from shpalta.news import factories

from .conftest import BROWSER, banner

pytestmark = pytest.mark.django_db

TARGET = "https://advertiser.example/landing?a=1"


def clicks(creative) -> int:
    return sum(DailyStats.objects.filter(creative=creative).values_list("clicks", flat=True))


def test_a_signed_link_redirects_and_counts_once_per_reader(client):
    creative = banner(url=TARGET)
    url = click_url(creative.pk, TARGET)
    for _ in range(3):
        response = client.get(url, REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 302
        assert response["Location"] == TARGET
        assert response["Cache-Control"] == "no-store"
    client.get(url, REMOTE_ADDR="198.51.100.8", HTTP_USER_AGENT=BROWSER)
    assert clicks(creative) == 2


@pytest.mark.parametrize(
    "tamper",
    [
        lambda q, pk: {"to": "https://evil.example/"} | {"sig": q["sig"]},
        lambda q, pk: {"to": q["to"] + "&b=2", "sig": q["sig"]},
        lambda q, pk: {"to": q["to"]},
        lambda q, pk: {"to": q["to"], "sig": "0" * 32},
        lambda q, pk: {"to": q["to"], "sig": q["sig"][:-1] + ("0" if q["sig"][-1] != "0" else "1")},
        lambda q, pk: {"to": "//evil.example/", "sig": signature(pk + 1, "//evil.example/")},
        lambda q, pk: {"sig": q["sig"]},
    ],
)
def test_an_unsigned_or_altered_target_answers_400(client, tamper):
    creative = banner(url=TARGET)
    query = {k: v[0] for k, v in parse_qs(urlsplit(click_url(creative.pk, TARGET)).query).items()}
    response = client.get(
        f"/ads/click/{creative.pk}/", tamper(query, creative.pk), HTTP_USER_AGENT=BROWSER
    )
    assert response.status_code == 400
    assert "Location" not in response
    assert "змінене" in response.content.decode()
    assert clicks(creative) == 0


def test_a_link_signed_for_another_creative_is_refused(client):
    one, two = banner("Один", url=TARGET), banner("Два", url="https://other.example/")
    query = urlsplit(click_url(one.pk, TARGET)).query
    assert client.get(f"/ads/click/{two.pk}/?{query}").status_code == 400


def test_a_signed_javascript_target_is_still_refused(client):
    creative = banner(url=TARGET)
    bad = "javascript:alert(1)"
    response = client.get(
        f"/ads/click/{creative.pk}/", {"to": bad, "sig": signature(creative.pk, bad)}
    )
    assert response.status_code == 400


def test_crawlers_are_redirected_but_not_counted(client):
    creative = banner(url=TARGET)
    bot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    response = client.get(click_url(creative.pk, TARGET), HTTP_USER_AGENT=bot)
    assert response.status_code == 302
    assert clicks(creative) == 0


def test_the_page_links_through_the_signed_redirect(client):
    creative = banner(url=TARGET, places=("sidebar",))
    html = client.get(factories.article().get_absolute_url()).content.decode()
    href = click_url(creative.pk, TARGET).replace("&", "&amp;")
    assert f'href="{href}" rel="sponsored noopener"' in html
