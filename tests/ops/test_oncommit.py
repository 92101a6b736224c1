"""once_after_commit: one action per item per transaction, after it commits, never lost."""

import pytest
from django.db import transaction

from shpalta.ops.oncommit import once_after_commit

pytestmark = pytest.mark.django_db


def test_outside_a_transaction_the_action_runs_at_once(transactional_db):
    done = []
    once_after_commit("test", 1, done.append)
    assert done == [1]


def test_each_item_runs_once_after_the_commit_in_the_order_first_asked(
    django_capture_on_commit_callbacks,
):
    done = []
    with django_capture_on_commit_callbacks(execute=True):
        for item in (2, 1, 2, 1, 3):
            once_after_commit("test", item, done.append)
        assert done == []
    assert done == [2, 1, 3]


def test_items_of_a_rolled_back_savepoint_are_dropped(django_capture_on_commit_callbacks):
    done = []
    with django_capture_on_commit_callbacks(execute=True):
        once_after_commit("test", 1, done.append)
        with pytest.raises(RuntimeError), transaction.atomic():
            once_after_commit("test", 2, done.append)
            once_after_commit("test", 1, done.append)
            raise RuntimeError
    assert done == [1]


def test_the_next_transaction_acts_again_on_the_same_item(django_capture_on_commit_callbacks):
    done = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            once_after_commit("test", 1, done.append)
            once_after_commit("test", 1, done.append)
    assert done == [1, 1]


def test_keys_keep_their_items_apart(django_capture_on_commit_callbacks):
    done = []
    with django_capture_on_commit_callbacks(execute=True):
        once_after_commit("first", 1, lambda item: done.append(("first", item)))
        once_after_commit("second", 1, lambda item: done.append(("second", item)))
    assert done == [("first", 1), ("second", 1)]
