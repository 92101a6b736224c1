"""`shpalta load_demo` brings a live story with entries and a «Терміново» strip to `make run`."""

import pytest
from django.core.management import call_command

from shpalta.live.models import BreakingNews, LiveCoverage, LiveEntry


@pytest.mark.django_db
def test_the_demo_has_a_running_live_story_and_a_strip_to_it_once(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for _ in range(2):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    coverage = LiveCoverage.objects.get()
    assert coverage.state == LiveCoverage.State.LIVE and coverage.summary
    assert LiveEntry.objects.count() >= 5 and LiveEntry.objects.filter(important=True).exists()
    assert BreakingNews.objects.count() == 1
    page = client.get(coverage.article.get_absolute_url()).content.decode()
    assert page.count("data-entry-id=") == LiveEntry.objects.count()
    assert "Терміново" in client.get("/").content.decode()
