"""Whatever readers see of an article, its category, tags or authors changes the site version."""

from django.db import router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from shpalta.news.models import Article, Author, Category, Tag

from . import versioning
from .models import SiteVersion

WATCHED = (Article, Category, Tag, Author)
M2M_ACTIONS = {"post_add", "post_remove", "post_clear"}


class _Bumped:
    """Marks a transaction that has already changed the version: an imported article's tags
    and authors, set after its save, need no second and third UPDATE. A save always bumps,
    since it may move the next publication time the version carries."""

    def __init__(self, connection):
        self.connection = connection

    def run(self) -> None:
        if getattr(self.connection, "version_bumped", None) is self:
            self.connection.version_bumped = None


def _connection():
    return transaction.get_connection(router.db_for_write(SiteVersion))


def _bump() -> None:
    versioning.bump()
    connection = _connection()
    if connection.in_atomic_block:
        marker = _Bumped(connection)
        connection.version_bumped = marker
        connection.on_commit(marker.run)


def _bumped_in_this_transaction() -> bool:
    """A rolled-back savepoint drops its marker's callback (and its UPDATE) together."""
    connection = _connection()
    marker = getattr(connection, "version_bumped", None)
    if marker is None or not connection.in_atomic_block:
        return False
    return any(entry[1] == marker.run for entry in reversed(connection.run_on_commit))


def _saved_or_deleted(sender, **kwargs):
    _bump()


def _relations_changed(sender, action, **kwargs):
    if action in M2M_ACTIONS and not _bumped_in_this_transaction():
        _bump()


def connect():
    for model in WATCHED:
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"version-save-{model}")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"version-del-{model}")
    for through in (Article.tags.through, Article.authors.through):
        m2m_changed.connect(_relations_changed, sender=through, dispatch_uid=f"version-{through}")
