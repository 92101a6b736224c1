"""Ads tests start with empty counters on the embedded path; `redis_ads` switches to Redis under
a prefix of the test's own (the shared server is never flushed)."""

import io
import uuid
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from PIL import Image

from shpalta.ads import counting
from shpalta.ads.models import Creative, Placement
from shpalta.photos import library
from tests.beacons import BROWSER, redis_database
from tests.services import require_service

ADS_REDIS_URL = redis_database("SHPALTA_TEST_ADS_REDIS_URL", 12)


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.REDIS_URL = ""
    settings.SHPALTA_ADS_NETWORK_HOSTS = []
    counting.live_ids.reset()
    counting._database_path.reset()
    yield
    counting.live_ids.reset()


@pytest.fixture
def redis_ads(settings):
    url = require_service(ADS_REDIS_URL)
    settings.REDIS_URL = url
    settings.SHPALTA_ADS_REDIS_PREFIX = f"test:ads:{uuid.uuid4().hex[:12]}:"
    path = counting.path()
    assert isinstance(path, counting.RedisPath)
    yield path
    path.reset()


def png(width=1456, height=180, colour="#1f4e79") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def library_image(width=1456, height=180, colour="#1f4e79", alt="Опис банера"):
    return library.add(png(width, height, colour), "banner.png", alt=alt)[0]


def banner(name="Банер", places=("inline",), **fields) -> Creative:
    creative = Creative.objects.create(
        name=name,
        image=fields.pop("image", None) or library_image(),
        alt=fields.pop("alt", "Опис банера"),
        url=fields.pop("url", "https://advertiser.example/landing?a=1"),
        **fields,
    )
    creative.placements.set(Placement.objects.filter(key__in=places))
    return creative


def impression(client, creative_id, *, ip="198.51.100.7", agent=BROWSER, **extra):
    return client.post(
        "/api/ads/impressions",
        data=f'{{"creative": {creative_id}}}',
        content_type="application/json",
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=agent,
        **extra,
    )


def migrated_placements() -> None:
    """The six places the migration makes, made again by the migration's own function: a
    transactional test empties every table first."""
    import_module("shpalta.ads.migrations.0002_placements").create(django_apps, None)
