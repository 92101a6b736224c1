"""Error reports (the DEBUG page, the admins' e-mails) never show a credential.

Django masks settings whose *names* sound secret (…PASSWORD, …KEY); the database, replica and
Redis URLs carry theirs inside the value, as `scheme://user:password@host`.
"""

import sys

import pytest
from django.test import RequestFactory
from django.views.debug import (
    ExceptionReporter,
    get_default_exception_reporter_filter,
    technical_500_response,
)

PASSWORD = "s3cret-Pa55"
DB_URL = f"postgres://shpalta:{PASSWORD}@db.internal:5432/shpalta"
REPLICA_URL = f"postgres://reader:{PASSWORD}@replica.internal/shpalta"
REDIS_URL = f"redis://:{PASSWORD}@cache.internal:6379/0"


@pytest.fixture
def configured(settings):
    settings.DATABASE_URL = DB_URL
    settings.REPLICA_URL = REPLICA_URL
    settings.REDIS_URL = REDIS_URL
    settings.SHPALTA_CDN_PURGE_URL = f"https://purger:{PASSWORD}@cdn.example/purge"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    settings.SOMETHING_ELSE = [f"amqp://u:{PASSWORD}@mq/"]
    return settings


def test_the_projects_filter_is_the_default():
    assert type(get_default_exception_reporter_filter()).__module__ == "shpalta.ops.reports"


def test_settings_with_credentials_in_their_urls_are_masked(configured):
    safe = get_default_exception_reporter_filter().get_safe_settings()
    assert PASSWORD not in repr(safe)
    for name in ("DATABASE_URL", "REPLICA_URL", "REDIS_URL", "SHPALTA_CDN_PURGE_URL"):
        assert PASSWORD not in str(safe[name]), name
    assert safe["SITE_URL"] == configured.SITE_URL  # an address without credentials stays


def test_environment_and_request_meta_are_masked_too(configured):
    request = RequestFactory().get(
        "/",
        SHPALTA_DATABASE_URL=DB_URL,
        SHPALTA_REDIS_URL=REDIS_URL,
        HTTP_REFERER="https://a.example/",
    )
    meta = get_default_exception_reporter_filter().get_safe_request_meta(request)
    assert PASSWORD not in repr(meta)
    assert meta["HTTP_REFERER"] == "https://a.example/"


def _failing(url):
    raise RuntimeError("cannot connect")


def test_the_debug_page_and_the_text_report_show_no_password(configured):
    configured.DEBUG = True
    request = RequestFactory().get("/", SHPALTA_DATABASE_URL=DB_URL)
    try:
        _failing(REDIS_URL)  # a local variable holding a URL shows in the traceback's frames
    except RuntimeError:
        info = sys.exc_info()
    page = technical_500_response(request, *info).content.decode()
    assert "cannot connect" in page
    assert PASSWORD not in page
    text = ExceptionReporter(request, *info).get_traceback_text()
    assert PASSWORD not in text
