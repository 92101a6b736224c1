"""Work done once per transaction, after it commits, however many signals ask for it.

An import saves an article, then sets its tags and its authors: three signals, each of which
would otherwise queue the same related-list update and the same cache-version change. Every
request here registers its own `transaction.on_commit` callback, so one asked for inside a
savepoint that is rolled back is dropped with it (Django drops that savepoint's callbacks);
the callbacks of one transaction share a round that remembers which items it has acted on.
"""

import threading
from collections.abc import Callable, Hashable
from functools import partial

from django.db import DEFAULT_DB_ALIAS, transaction

_local = threading.local()  # connections are per thread, and so are their transactions


class _Round:
    """What one transaction's callbacks have done: each item is acted on once."""

    def __init__(self, slot: tuple[str, str], action: Callable[[Hashable], object]):
        self.slot, self.action, self.done = slot, action, set()

    def arrive(self, item: Hashable) -> None:
        rounds = _rounds()
        if rounds.get(self.slot) is self:
            del rounds[self.slot]  # committed: the next transaction starts a round of its own
        if item not in self.done:
            self.done.add(item)
            self.action(item)


def _rounds() -> dict[tuple[str, str], _Round]:
    if not hasattr(_local, "rounds"):
        _local.rounds = {}
    return _local.rounds


def once_after_commit(
    key: str, item: Hashable, action: Callable[[Hashable], object], using: str | None = None
) -> None:
    """Run `action(item)` after the current transaction commits, once per (key, item) however
    often it is asked for in that transaction; at once outside a transaction.

    A transaction rolled back as a whole fires none of its callbacks: its round, with nothing
    done, is simply taken over by the next transaction on the same connection.
    """
    using = using or DEFAULT_DB_ALIAS
    if not transaction.get_connection(using).in_atomic_block:
        action(item)
        return
    rounds, slot = _rounds(), (using, key)
    current = rounds.get(slot)
    if current is None:
        current = rounds[slot] = _Round(slot, action)
    transaction.on_commit(partial(current.arrive, item), using=using)
