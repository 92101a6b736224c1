"""Writes a crash may lose without harm, committed without waiting for the disk.

A reader's first view of a story keeps its page and its «Більше подібного» items
(news/stored.py, related.KeptItem): copies of what the next view renders again if they are
missing. On PostgreSQL every commit waits until its WAL record is on disk
(`synchronous_commit`): 9–12 ms at the median on this machine's disk, 20 at the 90th
percentile, against 0.5–0.75 ms without the wait, for the same 50 KB upsert (measured here).
That wait was longer than the page's render, twice per first view, on each of the server's
few workers. The «Більше подібного» update of a saved story (related.updates.update) commits
the same way: a crash may lose a last update whole, as if its task had died before its commit,
and the story's next save or `shpalta related rebuild` makes it again; a withdrawal waits.

`regenerable(using)` is a transaction whose commit does not wait for the flush (PostgreSQL's own
per-transaction `SET LOCAL synchronous_commit TO OFF`): a crash may lose the rows of its last
moments, never tear or reorder them, and leaves every other transaction as durable as before.
Inside a transaction already open the setting would reach the whole outer one, so there it is
left alone. SQLite needs nothing: the site's database runs in WAL mode with
`synchronous=NORMAL` (settings), where a commit does not sync.
"""

from contextlib import contextmanager

from django.db import connections, transaction


@contextmanager
def regenerable(using: str):
    """`transaction.atomic(using)`, committed without waiting for the disk where that is ours
    to decide (the outermost transaction, on PostgreSQL)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield
