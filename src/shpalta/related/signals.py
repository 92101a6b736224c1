"""Saving, tagging or deleting an article, or emptying or deleting a tag, queues the related-list
update of each article it touched, after the commit."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from shpalta.news.models import Article, Tag

from . import store
from .models import RelatedLink
from .tasks import refresh_related, update_related


class _Pending:
    """The articles one transaction changed, each updated once after it commits: an import
    saves an article and then sets its tags, which would otherwise queue two updates."""

    def __init__(self, connection):
        self.connection = connection
        self.article_ids: dict[int, None] = {}

    def run(self) -> None:
        if getattr(self.connection, "related_pending", None) is self:
            self.connection.related_pending = None
        for article_id in self.article_ids:
            update_related.enqueue(article_id)


def _enqueue_update(article_id: int) -> None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        update_related.enqueue(article_id)  # autocommit: on_commit would run it at once too
        return
    pending = getattr(connection, "related_pending", None)
    # A rolled-back savepoint drops the callback but not the attribute: look for it.
    if pending is None or not any(entry[1] == pending.run for entry in connection.run_on_commit):
        pending = _Pending(connection)
        connection.related_pending = pending
        transaction.on_commit(pending.run)
    pending.article_ids[article_id] = None


@receiver(post_save, sender=Article, dispatch_uid="related_article_saved")
def article_saved(sender, instance, **kwargs):
    _enqueue_update(instance.pk)


def _enqueue_tagged(tag_id: int) -> None:
    """Every article carrying the tag, read while the rows still exist; the updates run after
    the commit, once they are gone (clear and delete both run inside a transaction)."""
    tagged = Article.tags.through.objects.filter(tag_id=tag_id)
    for article_id in tagged.values_list("article_id", flat=True):
        _enqueue_update(article_id)


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="related_tags_changed")
def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":  # post_clear does not say which articles it was
        _enqueue_tagged(instance.pk)
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # a tag gained or lost articles
        for article_id in pk_set or ():
            _enqueue_update(article_id)
    else:
        _enqueue_update(instance.pk)


@receiver(pre_delete, sender=Tag, dispatch_uid="related_tag_deleted")
def tag_deleted(sender, instance, **kwargs):
    """The cascade drops the tag's rows without an m2m signal; its #tag: feature must go."""
    _enqueue_tagged(instance.pk)


@receiver(pre_delete, sender=Article, dispatch_uid="related_article_deleted")
def article_deleted(sender, instance, **kwargs):
    """Document counts are given back now, while the article's terms are still stored; the
    lists that showed it are refilled once the deletion has committed."""
    affected = set(
        RelatedLink.objects.filter(related_id=instance.pk).values_list("article_id", flat=True)
    ) - {instance.pk}
    store.remove_vector(instance.pk)
    if affected:
        ids = sorted(affected)
        transaction.on_commit(lambda: refresh_related.enqueue(ids))
