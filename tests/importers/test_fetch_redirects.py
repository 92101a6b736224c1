"""Feed fetches reach only public http(s) addresses, on every redirect hop too."""

import pytest

from shpalta.importers.errors import ItemError
from shpalta.importers.feed import import_once
from shpalta.importers.fetch import get, is_public, masked
from shpalta.importers.models import FeedSource
from shpalta.news.models import Article


def refusal(url: str) -> str:
    with pytest.raises(ItemError) as error:
        get(url)
    return str(error.value)


def test_a_loopback_feed_is_refused_without_a_request(evil):
    message = refusal(evil.url("feed"))
    assert message.startswith(f"refused {evil.url('feed')}: 127.0.0.1 is a private, loopback")
    assert evil.hits == []


def test_a_loopback_feed_is_fetched_when_private_addresses_are_allowed(evil, settings):
    settings.SHPALTA_FETCH_ALLOW_PRIVATE = True
    assert b"<rss" in get(evil.url("feed")).body


def test_a_redirect_to_loopback_is_refused_though_the_first_host_is_allowed(evil, settings):
    settings.SHPALTA_FETCH_ALLOW_HOSTS = ["localhost"]
    message = refusal(evil.named_url("redirect-loopback"))
    assert message.startswith(f"refused {evil.url('feed')}: 127.0.0.1 is a private, loopback")
    assert evil.hits == ["/redirect-loopback"]


def test_a_redirect_to_loopback_is_followed_when_private_addresses_are_allowed(evil, settings):
    settings.SHPALTA_FETCH_ALLOW_PRIVATE = True
    answer = get(evil.url("redirect-loopback"))
    assert b"<rss" in answer.body and answer.url == evil.url("feed")


def test_a_redirect_to_cloud_metadata_is_refused(evil, settings):
    settings.SHPALTA_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    message = refusal(evil.url("redirect-metadata"))
    assert message.startswith("refused http://169.254.169.254/latest/meta-data/: 169.254.169.254")


@pytest.mark.parametrize("path", ["redirect-ftp", "redirect-file"])
def test_a_redirect_to_another_scheme_is_refused_even_with_private_allowed(evil, settings, path):
    settings.SHPALTA_FETCH_ALLOW_PRIVATE = True
    message = refusal(evil.url(path))
    assert message.endswith(": only http(s) addresses are fetched")
    assert message.startswith(("refused ftp://evil.example/", "refused file:///etc/passwd"))


def test_a_redirect_loop_ends(evil, settings):
    settings.SHPALTA_FETCH_ALLOW_PRIVATE = True
    assert refusal(evil.url("redirect-loop")).endswith("more than 5 redirects")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "100.64.0.1",
    ],
)
def test_non_public_addresses_are_not_public(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1"])
def test_public_addresses_are_public(address):
    assert is_public(address)


def test_a_password_in_an_address_is_masked_in_messages():
    url = "https://editor:s3cret@feeds.example:8443/rss?x=1"
    assert masked(url) == "https://editor:***@feeds.example:8443/rss?x=1"


@pytest.mark.django_db
def test_a_refused_feed_is_reported_and_remembered_and_others_import(evil, settings):
    settings.SHPALTA_FETCH_ALLOW_HOSTS = ["localhost"]
    refused = evil.named_url("redirect-loopback")
    report = import_once([refused, evil.named_url("feed")])
    assert report.imported == 1 and report.failed == 1
    assert report.errors[0][0] == refused
    assert FeedSource.objects.get(url=refused).last_status.startswith("failed: refused")
    assert Article.objects.get().title == "Чесна новина"
