"""Shared fixtures: the seed and real-data paths, service availability, a staff client, the
admin's article form data, and headless Chromium for the browser tests."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_9d2bf7923259dc43.txt"
DATA = SHARED / "data"
REQUIRE_SERVICES = os.environ.get("SHPALTA_REQUIRE_SERVICES") == "1"
IN_CI = os.environ.get("CI") == "true" or REQUIRE_SERVICES
CHROMIUM = Path("/usr/bin/chromium")
# Headless in a container (no sandbox, no GPU), and none of Chromium's own background work
# (fetches, component updates, sync, first-run setup): the tests see only the site's traffic.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def need_shared(path: Path) -> Path:
    """Real data lives beside the checkout; outside CI its absence is a skip, in CI a failure."""
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing: CI must have ../shared beside the checkout")
        pytest.skip(f"{path} is not present (../shared is read from beside the checkout)")
    return path


@pytest.fixture(autouse=True)
def _view_flushes_end_with_their_test():
    """With Redis counters a beacon may start a flush in a thread of this process; it must not
    outlive the test that caused it (its rows would land in the next test, or block the test
    database from being dropped)."""
    yield
    from shpalta.popular.tasks import background_flush

    background_flush.join(timeout=30)


@pytest.fixture
def seed_path() -> Path:
    return need_shared(SEED)


@pytest.fixture
def data_dir() -> Path:
    return need_shared(DATA)


def need_chromium() -> None:
    """Debian's chromium is a system package: without it a skip, a failure when services are
    required (CI installs it)."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: apt-get install -y chromium"
    if REQUIRE_SERVICES:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module: starting it is slow, and each test opens its own context."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("redaktor", "redaktor@example.com", "pass")
    client.force_login(user)
    return client


def article_form(title: str, body: str, **fields) -> dict:
    """POST data for the admin's add/change article form as the browser sends it: every field
    present (blank ones too), published now, the slug left blank for the admin to make."""
    now = timezone.localtime()
    data = {
        "title": title,
        "lead": "",
        "body": body,
        "status": "published",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "slug": "",
        "excerpt": "",
        "cover_alt": "",
        "cover_caption": "",
        "cover_credit": "",
        "cover_image_url": "",
        "source_name": "",
        "source_url": "",
        "_save": "Зберегти",
    }
    return data | fields
