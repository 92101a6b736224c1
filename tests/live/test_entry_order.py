"""Readers ask for entries after the newest id they hold, so an entry must never become visible
with an id below one already seen: posts to one story commit in id order.

On PostgreSQL two transactions could otherwise take ids 10 and 11 and commit 11 first; the
story's row lock makes the second post wait. (SQLite serialises every writer: nothing to race.)
"""

import threading

import pytest
from django.db import connection, transaction

from shpalta.live import service
from shpalta.live.models import LiveEntry
from shpalta.news import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_second_post_waits_for_the_first_to_commit_and_gets_the_higher_id():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer at a time: ids commit in order by construction")
    article = factories.article("Онлайн: черга оновлень")
    service.start(article.pk)
    posted, release, ids, order = threading.Event(), threading.Event(), {}, []

    def first():
        with transaction.atomic():
            ids["first"] = service.post(article.pk, "Перше").pk
            posted.set()
            release.wait(30)
        order.append("first committed")
        connection.close()

    def second():
        ids["second"] = service.post(article.pk, "Друге").pk
        order.append("second committed")
        connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert posted.wait(30)
    two = threading.Thread(target=second)
    two.start()
    two.join(timeout=1.5)
    assert two.is_alive()  # waiting for the first post's transaction
    release.set()
    one.join(30)
    two.join(30)
    assert order == ["first committed", "second committed"]
    assert ids["second"] > ids["first"]
    assert list(LiveEntry.objects.order_by("pk").values_list("text_plain", flat=True)) == [
        "Перше",
        "Друге",
    ]
