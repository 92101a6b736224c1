"""Whatever readers see of an article, its category, tags or authors changes the site version."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from shpalta.news.models import Article, Author, Category, Tag

from . import versioning

WATCHED = (Article, Category, Tag, Author)
M2M_ACTIONS = {"post_add", "post_remove", "post_clear"}


def _saved_or_deleted(sender, **kwargs):
    versioning.bump()


def _relations_changed(sender, action, **kwargs):
    if action in M2M_ACTIONS:
        versioning.bump()


def connect():
    for model in WATCHED:
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"version-save-{model}")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"version-del-{model}")
    for through in (Article.tags.through, Article.authors.through):
        m2m_changed.connect(_relations_changed, sender=through, dispatch_uid=f"version-{through}")
