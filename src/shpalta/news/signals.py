"""Signals news sends for apps above it, which news itself must not know."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

# Sent by `shpalta load_demo` after the demo articles are in: apps above news add their own
# demo data (wired in shpalta.changes.receivers).
demo_loaded = Signal()


# -- many articles saved at once (an archive import) -------------------------------------------
#
# An import of thousands of posts must not run every per-article reaction (search document,
# related list, CDN purge, Telegram) once per row. Inside `saving_in_bulk()` the per-row
# reactions wired in shpalta.changes.receivers stand aside (`in_bulk()`), and the writer
# reports what it saved: when the block ends without an error (still inside the caller's
# transaction) `articles_saved` is sent once with every article saved in it, and
# shpalta.changes.receivers does the set-wise equivalent of the per-row reactions. When the
# whole run is over, the writer sends `bulk_finished` with every article id of the run (after
# its transactions committed): work that is cheaper once for all of them (the related lists,
# rebuilt in one streamed pass) is done from there.

# articles: list of saved Article instances; was_released: ids of those that were released
# (published or scheduled) before this save, read by the writer before it changed them.
articles_saved = Signal()
# article_ids: every article written by the run (created or updated)
bulk_finished = Signal()

_bulk: ContextVar["BulkSave | None"] = ContextVar("news_bulk_save", default=None)


class BulkSave:
    """The articles saved inside one `saving_in_bulk()` block."""

    def __init__(self):
        self.articles: dict[int, object] = {}
        self.was_released: set[int] = set()

    def saved(self, article, was_released: bool) -> None:
        self.articles[article.pk] = article
        if was_released:
            self.was_released.add(article.pk)

    def forget(self, article_id: int) -> None:
        """A row whose savepoint was rolled back: no reaction for it."""
        self.articles.pop(article_id, None)
        self.was_released.discard(article_id)


def in_bulk() -> bool:
    """True inside `saving_in_bulk()`: per-row reactions leave the work to `articles_saved`."""
    return _bulk.get() is not None


@contextmanager
def saving_in_bulk(sender=None):
    """Save many articles with one set-wise reaction (see above); use inside a transaction,
    so the reactions that must commit with the rows (the search index) do."""
    bulk = BulkSave()
    token = _bulk.set(bulk)
    try:
        yield bulk
    finally:
        _bulk.reset(token)
    if bulk.articles:
        articles_saved.send(
            sender=sender, articles=list(bulk.articles.values()), was_released=bulk.was_released
        )
