"""An ad network's hosts reach the CSP only when an administrator configures them; its snippet
may load scripts only from those hosts."""

import pytest
from django.core.exceptions import ValidationError

from shpalta.ads.models import Creative, Placement
from shpalta.ads.validation import validate_snippet
from shpalta.news import factories
from shpalta.ops.security import build_policy

pytestmark = pytest.mark.django_db

NETWORK = "https://ads.network.example"
SNIPPET = f'<script async src="{NETWORK}/tag.js"></script><ins class="unit" data-slot="42"></ins>'


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_without_a_configured_host_the_policy_is_the_sites_own():
    policy = directives(build_policy())
    assert policy["script-src"][0] == "'self'"
    assert not any("example" in s for s in policy["script-src"] + policy["connect-src"])
    assert "frame-src" not in policy  # default-src 'self' governs frames
    assert policy["default-src"] == ["'self'"]


def test_a_configured_host_joins_scripts_frames_and_connections_only(settings):
    settings.SHPALTA_ADS_NETWORK_HOSTS = [NETWORK, "http://plain.example", "not a url"]
    policy = directives(build_policy())
    for name in ("script-src", "frame-src", "connect-src"):
        assert NETWORK in policy[name]
        assert "http://plain.example" not in policy[name]  # https only
    assert "'self'" in policy["frame-src"]
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


def test_the_served_header_follows_the_setting(client, settings):
    story = factories.article()
    assert NETWORK not in client.get(story.get_absolute_url())["Content-Security-Policy"]
    settings.SHPALTA_ADS_NETWORK_HOSTS = [NETWORK]
    fresh = client.__class__()  # a new handler builds its policy afresh
    assert NETWORK in fresh.get(story.get_absolute_url())["Content-Security-Policy"]


def test_a_snippet_from_a_configured_host_is_accepted_and_served(client, settings):
    settings.SHPALTA_ADS_NETWORK_HOSTS = [NETWORK]
    validate_snippet(SNIPPET)
    creative = Creative(name="Мережа", kind=Creative.Kind.HTML, html=SNIPPET)
    creative.full_clean()
    creative.save()
    creative.placements.set(Placement.objects.filter(key="sidebar"))
    html = client.get(factories.article().get_absolute_url()).content.decode()
    assert f'<template data-creative="{creative.pk}"' in html
    assert f'src="{NETWORK}/tag.js"' in html


@pytest.mark.parametrize(
    ("snippet", "configured"),
    [
        (SNIPPET, []),  # the host is not configured
        ('<script src="https://other.example/tag.js"></script>', [NETWORK]),
        ("<script>(adsbygoogle = window.adsbygoogle || []).push({});</script>", [NETWORK]),
        (f'<img src="{NETWORK}/p.gif" onerror="alert(1)">', [NETWORK]),
        ('<a href="javascript:alert(1)">x</a>', [NETWORK]),
        ('<iframe src="https://other.example/frame"></iframe>', [NETWORK]),
        ('<base href="https://evil.example/">', [NETWORK]),
        ("<scr\x00ipt>", [NETWORK]),
    ],
)
def test_unsafe_or_unconfigured_snippets_are_refused(settings, snippet, configured):
    settings.SHPALTA_ADS_NETWORK_HOSTS = configured
    with pytest.raises(ValidationError) as refused:
        validate_snippet(snippet)
    assert "SHPALTA_ADS_NETWORK_HOSTS" in str(refused.value) or "символ" in str(refused.value)
