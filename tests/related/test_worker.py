"""The scale path: updates queued in the database and run by a worker, scheduled ones deferred."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .conftest import listed
from .stories import BRIDGE

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


@override_settings(TASKS=DATABASE_TASKS)
def test_a_worker_computes_the_lists_after_publishing():
    from shpalta.news import factories

    first = factories.article(BRIDGE[0][0], body=f"<p>{BRIDGE[0][1]}</p>")
    second = factories.article(BRIDGE[1][0], body=f"<p>{BRIDGE[1][1]}</p>")
    assert listed(first) == [] and listed(second) == []  # saving only queued the work
    assert DBTaskResult.objects.filter(task_path__endswith="update_related").count() >= 2
    work()
    assert listed(second) == [first.pk]
    assert listed(first) == [second.pk]


@override_settings(TASKS=DATABASE_TASKS)
def test_a_scheduled_article_is_spread_by_a_deferred_task():
    from shpalta.news import factories

    first = factories.article(BRIDGE[0][0], body=f"<p>{BRIDGE[0][1]}</p>")
    due = timezone.now() + timedelta(hours=1)
    later = factories.article(BRIDGE[1][0], body=f"<p>{BRIDGE[1][1]}</p>", published_at=due)
    work()
    assert later.pk not in listed(first)
    deferred = DBTaskResult.objects.get(task_path__endswith="spread_scheduled")
    assert deferred.run_after > due
