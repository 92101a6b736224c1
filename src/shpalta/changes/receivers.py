"""Everything the site does when an article, or what it is filed under, changes.

The one place where the capabilities are told about a save, a delete or a change of an
article's tags and authors. Each reaction says when it runs:

- inside the transaction: it commits or rolls back with the change itself;
- after commit: once per transaction however many signals asked for it
  (ops.oncommit.once_after_commit), so an import that saves an article, then sets its tags and
  its authors, queues one related update and one cache-version change, not three.

Reactions, in the order they run for an article's save:

1. search index written (inside) ............ search.indexing.sync
2. related list update queued (after commit). related.tasks.update_related
3. CDN purge of its pages (after commit) .... caching.cdn.purge
4. site version changed (after commit) ...... caching.versioning.bump — the only caller, so
   every cached page, feed and sitemap is retired from here and nowhere else.
5. Telegram post queued (row inside, send after commit) telegram.posting.queue,
   telegram.tasks.post_story; a posted story's edit or unpublishing (after commit)
   telegram.tasks.sync_post.

A pin on the home page (news.FrontPageSlot) saved or deleted changes the site version; its
expiry is a registered due time, so the home page changes when a pin lapses without a save.

Periodic work rides on every worker's heartbeat (ops.signals.worker_beat): the Telegram
catch-up sweep and the daily newsletter are queued from here.

A live story's entry saved or deleted (and its coverage edited) reindexes the story (inside) and
retires only that story's cached page and update feed (caching.scopes.bump, after commit, once
per story per transaction); starting or removing a coverage, or a «Терміново» strip's change,
changes the site version, as the strip is on every page.

Many articles saved at once (an archive import, inside news.signals.saving_in_bulk()): the
per-row reactions above stand aside and `articles_saved_in_bulk` does their set-wise equivalent
once per batch — search documents written together (inside), one CDN purge list (after commit),
Telegram as for a single save (imported stories are never posted, so nothing is queued), the
site version once; no related update per row. When the run is over, `bulk_finished` updates
the related lists once for all of it (`related_after_bulk`): a streamed rebuild of every list
when the run wrote a large share of the archive, else an update per article.

Bulk changes that send no signals (QuerySet.update, bulk_create) are caught up by
`shpalta reindex` and `shpalta related rebuild`.
"""

from contextvars import ContextVar

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.urls import reverse

from shpalta.ads import demo as ads_demo
from shpalta.ads.models import AdFreeArticle, AdFreeRubric, Creative, Placement
from shpalta.caching import cdn, scopes, versioning
from shpalta.feeds import extras as feed_extras
from shpalta.live import demo as live_demo
from shpalta.live import service as live
from shpalta.live.models import BreakingNews, LiveCoverage, LiveEntry
from shpalta.news import signals as news_signals
from shpalta.news import stored
from shpalta.news.models import Article, Author, Category, FrontPageSlot, Tag
from shpalta.news.signals import demo_loaded
from shpalta.newsletter import demo as newsletter_demo
from shpalta.newsletter import schedule as newsletter_schedule
from shpalta.ops.batching import batched
from shpalta.ops.oncommit import once_after_commit
from shpalta.ops.signals import worker_beat
from shpalta.photos.models import Image
from shpalta.popular import demo as popular_demo
from shpalta.related import signals as related_signals
from shpalta.related import updates as related_updates
from shpalta.related.tasks import rebuild_related, refresh_related, update_related
from shpalta.search import documents, indexing
from shpalta.telegram import conf as telegram_conf
from shpalta.telegram import posting as telegram_posting
from shpalta.telegram import tasks as telegram_tasks

M2M_DONE = {"post_add", "post_remove", "post_clear"}


# -- site version: after commit, once per transaction -------------------------------------------


def _bump(_=None) -> None:
    versioning.bump()


def site_changed(**kwargs) -> None:
    """Whatever readers see changed: a new site version once the transaction commits."""
    once_after_commit("site-version", None, _bump)


def relations_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action in M2M_DONE:  # in a bulk save too: once per transaction all the same
        site_changed()
    # The stored story pages show their tags and authors (news/stored.py).
    if action == "pre_clear" and reverse:  # post_clear does not say which articles it was
        stored.retire_all()
    elif action in M2M_DONE:
        stored.retire((pk_set or ()) if reverse else [instance.pk])


def shown_on_stories_changed(sender, created=False, **kwargs) -> None:
    """A rubric, tag, author or library photo edited or deleted: every stored story page may
    show it (a breadcrumb, a byline, a cover), so each is rendered again at its next view. A
    new one is on no stored page yet."""
    if not created:
        stored.retire_all()  # inside the transaction
    site_changed()


# -- related lists: after commit, once per article per transaction ------------------------------


def _enqueue_update(article_id: int) -> None:
    update_related.enqueue(article_id)


def _enqueue_refresh(article_ids: tuple[int, ...]) -> None:
    refresh_related.enqueue(list(article_ids))


def related_update(article_id: int) -> None:
    once_after_commit("related-update", article_id, _enqueue_update)


def _tagged(tag_id: int) -> list[int]:
    """The articles carrying a tag, read while its rows still exist (a clear or a delete)."""
    return list(
        Article.tags.through.objects.filter(tag_id=tag_id).values_list("article_id", flat=True)
    )


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Forward: one article's tags changed. Reverse: a tag gained or lost articles."""
    if news_signals.in_bulk() and not reverse:
        return  # the run's bulk_finished updates its articles' lists once
    if reverse and action == "pre_clear":  # post_clear does not say which articles it was
        for article_id in _tagged(instance.pk):
            related_update(article_id)
    elif action in M2M_DONE:
        for article_id in (pk_set or ()) if reverse else [instance.pk]:
            related_update(article_id)


def tag_deleting(sender, instance, **kwargs) -> None:
    """The cascade drops the tag's rows without an m2m signal; its #tag: feature must go."""
    for article_id in _tagged(instance.pk):
        related_update(article_id)


# -- an article saved ---------------------------------------------------------------------------


def article_saving(sender, instance, raw=False, **kwargs) -> None:
    """Before the row changes: was it public? A withdrawn story must leave the CDN (and maybe
    the channel) too; a story this save releases goes to Telegram."""
    if news_signals.in_bulk():
        return  # the bulk writer tells articles_saved which were released before
    if (cdn.enabled() or telegram_conf.enabled()) and instance.pk:
        instance._was_released = Article.objects.released().filter(pk=instance.pk).exists()


def article_saved(sender, instance, raw=False, **kwargs) -> None:
    if news_signals.in_bulk():
        return  # articles_saved_in_bulk, once for the batch
    if not raw:
        indexing.sync(instance)  # inside the transaction
    related_update(instance.pk)  # after commit
    if cdn.enabled() and (instance.is_released or getattr(instance, "_was_released", False)):
        cdn.purge_later(cdn.paths_for(instance))  # paths now, the purge after commit
    site_changed()  # after commit
    if not raw and telegram_conf.enabled():
        telegram_changed(instance)


# -- many articles saved at once (news.signals.saving_in_bulk) ---------------------------------

ANALYSE_TOGETHER = 16  # articles analysed for search and related lists back to back
RELATED_REBUILD_SHARE = 0.2  # a run that wrote this share of the archive rebuilds every list
RELATED_REBUILD_MIN = 200  # ... if it wrote at least this many articles


def articles_saved_in_bulk(sender, articles, was_released, **kwargs) -> None:
    """The set-wise equivalent of article_saving + article_saved for a batch of saves, inside
    the batch's transaction. The related lists wait for the run's bulk_finished."""
    stored.retire([article.pk for article in articles])  # a bulk write may keep updated_at
    analysed = []
    # the batch's live stories in one query, not one a document (_live_search_text)
    token = _batch_live.set(live.stories_among([article.pk for article in articles]))
    try:
        for part in batched(articles, ANALYSE_TOGETHER):
            indexing.sync_many(part)  # inside the transaction
            # the same texts for the related lists while their tokens are fresh (text.tokens
            # keeps the last few) ...
            analysed += related_updates.analyse_saved(part)
    finally:
        _batch_live.reset(token)
    # ... stored for the run's rebuild together (their terms looked up once for the batch),
    # not weighed or listed yet
    related_updates.store_analysed(analysed)
    if cdn.enabled():
        for article in articles:
            if article.is_released or article.pk in was_released:
                cdn.purge_later(cdn.paths_for(article))  # paths now, the purge after commit
    if telegram_conf.enabled():
        for article in articles:
            article._was_released = article.pk in was_released
            telegram_changed(article)  # imported stories are not eligible: normally nothing
    site_changed()  # after commit


def related_after_bulk(sender, article_ids, **kwargs) -> None:
    """A bulk run is over (its batches committed): the related lists of its articles, once.
    A run that wrote a large share of the archive rebuilds every list in one streamed pass
    (cheaper than an update per article, each of which changes its neighbours' lists); a small
    one updates its articles one by one, as single saves do. Both are tasks: inline in the
    default setup, for `shpalta worker` with SHPALTA_TASKS=database."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    indexed = related_updates.indexed_count()
    if len(ids) >= RELATED_REBUILD_MIN and len(ids) >= RELATED_REBUILD_SHARE * (indexed + len(ids)):
        once_after_commit("related-rebuild", None, _enqueue_rebuild)
    else:  # a batch's stored analysis is not in the index yet: each is analysed and placed
        for article_id in ids:
            related_update(article_id)


SEARCH_SETTLE_MIN = RELATED_REBUILD_MIN  # a run that wrote this many documents settles the index


def search_after_bulk(sender, article_ids, **kwargs) -> None:
    """A bulk run that wrote many search documents leaves the index's statistics and
    visibility up to date (search.indexing.settle: VACUUM (ANALYZE) on PostgreSQL), as
    `shpalta reindex` does: the candidate plan is chosen from them, and the server's autovacuum
    may be off or minutes away. The run's transactions have committed by now."""
    if len(set(article_ids)) >= SEARCH_SETTLE_MIN:
        indexing.settle()


def _enqueue_rebuild(_=None) -> None:
    rebuild_related.enqueue()


# -- the Telegram channel ----------------------------------------------------------------------


def _enqueue_post(article_id: int) -> None:
    telegram_tasks.post_story.enqueue(article_id)


def _enqueue_sync(article_id: int) -> None:
    telegram_tasks.sync_post.enqueue(article_id)


def telegram_changed(instance) -> None:
    """Released by this save: its post is queued (the row inside, the send after commit).
    Already posted: the message follows an edit of the headline or lead, or an unpublishing."""
    was_released = getattr(instance, "_was_released", False)
    if telegram_posting.queue(instance, was_released):
        once_after_commit("telegram-post", instance.pk, _enqueue_post)
    elif telegram_posting.is_posted(instance.pk):
        once_after_commit("telegram-sync", instance.pk, _enqueue_sync)


def telegram_deleting(instance) -> None:
    """A deleted story's message leaves the channel when unpublishing deletes posts."""
    message = telegram_posting.posted_message(instance.pk)
    if message and telegram_conf.delete_on_unpublish():
        once_after_commit("telegram-delete", message, _enqueue_delete)


def _enqueue_delete(message: tuple[str, int]) -> None:
    telegram_tasks.delete_message.enqueue(*message)


# -- periodic work on the worker's beat ---------------------------------------------------------


def worker_beating(sender, **kwargs) -> None:
    """Each minute at most (per process): the Telegram sweep; the daily digest once it is due."""
    if telegram_conf.enabled() and cache.add("telegram:sweep-queued", 1, 60):
        telegram_tasks.sweep_posts.enqueue()
    newsletter_schedule.queue_due_digest()


def demo_loading(sender, **kwargs) -> None:
    """`shpalta load_demo`: the newsletter's demo readers and pick (nothing is mailed), the
    live story with its entries and «Терміново» strip, the views behind «Популярне»."""
    newsletter_demo.load()
    live_demo.load()
    popular_demo.load_views()
    ads_demo.load()


# -- an article deleted -------------------------------------------------------------------------


def article_deleting(sender, instance, **kwargs) -> None:
    """Before the row goes, while its tags, terms and lists can still be read."""
    if cdn.enabled() and instance.is_released:
        cdn.purge_later(cdn.paths_for(instance))  # after commit
    affected = related_updates.forget(instance.pk)  # inside: its terms' counts given back
    if telegram_conf.enabled():
        telegram_deleting(instance)  # its message id read now, deleted after commit
    if affected:
        once_after_commit("related-refresh", tuple(affected), _enqueue_refresh)


def article_deleted(sender, instance, **kwargs) -> None:
    indexing.unindex(instance.pk)  # inside the transaction
    site_changed()  # after commit


# -- a live story's entries and coverage -------------------------------------------------------


def _bump_scope(scope: str) -> None:
    scopes.bump(scope)


def live_story_changed(article: Article, reindex: bool = True) -> None:
    """Its search document (inside), its page and update feed retired (after commit)."""
    if reindex:
        indexing.sync(article)
    once_after_commit("cache-scope", live.scope(article.pk), _bump_scope)
    if cdn.enabled() and article.is_released:
        api = reverse("api:live_updates", args=[article.pk])
        cdn.purge_later([article.get_absolute_url(), api])


def entry_changed(sender, instance, raw=False, origin=None, **kwargs) -> None:
    """An entry saved or deleted; one deleted with its whole story leaves that to the story."""
    if raw or isinstance(origin, Article | LiveCoverage):
        return
    live_story_changed(instance.coverage.article)


def coverage_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    live_story_changed(instance.article)
    if created:
        site_changed()  # the page was stored as an ordinary one; now it is a live page


def coverage_deleted(sender, instance, origin=None, **kwargs) -> None:
    if not isinstance(origin, Article):
        live_story_changed(instance.article)
    site_changed()


def connect() -> None:
    """Called once from ChangesConfig.ready(); dispatch_uid keeps a second call harmless."""
    pre_save.connect(article_saving, sender=Article, dispatch_uid="changes-article-saving")
    post_save.connect(article_saved, sender=Article, dispatch_uid="changes-article-saved")
    pre_delete.connect(article_deleting, sender=Article, dispatch_uid="changes-article-deleting")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="changes-article-deleted")
    m2m_changed.connect(tags_changed, sender=Article.tags.through, dispatch_uid="changes-tags")
    pre_delete.connect(tag_deleting, sender=Tag, dispatch_uid="changes-tag-deleting")
    for through in (Article.tags.through, Article.authors.through):
        m2m_changed.connect(
            relations_changed, sender=through, dispatch_uid=f"changes-m2m-{through}"
        )
    # A library photo's alt text, caption, credit or focal point shows on every story using it.
    for model in (Category, Tag, Author, Image):
        post_save.connect(
            shown_on_stories_changed, sender=model, dispatch_uid=f"changes-saved-{model}"
        )
        post_delete.connect(
            shown_on_stories_changed, sender=model, dispatch_uid=f"changes-deleted-{model}"
        )
    # The home page's pinned places (FrontPageSlot): a pin's change or its expiry retires it.
    post_save.connect(site_changed, sender=FrontPageSlot, dispatch_uid="changes-pin-saved")
    post_delete.connect(site_changed, sender=FrontPageSlot, dispatch_uid="changes-pin-deleted")
    versioning.register_due(FrontPageSlot.objects.next_expiry)
    # Related lists changed in the background (a task, a rebuild): pages show them anew.
    related_signals.lists_changed.connect(site_changed, dispatch_uid="changes-related-lists")
    _connect_live()
    _connect_ads()
    worker_beat.connect(worker_beating, dispatch_uid="changes-worker-beat")
    demo_loaded.connect(demo_loading, dispatch_uid="changes-demo-loaded")
    news_signals.articles_saved.connect(articles_saved_in_bulk, dispatch_uid="changes-bulk-saved")
    news_signals.bulk_finished.connect(related_after_bulk, dispatch_uid="changes-bulk-finished")
    news_signals.bulk_finished.connect(search_after_bulk, dispatch_uid="changes-bulk-search")


def live_feed_extras(article_ids: list[int]) -> dict[int, feed_extras.ItemExtra]:
    """A live story's feed item carries its newest entries (feeds may not import live)."""
    digests = live.feed_digest(article_ids)
    return {pk: feed_extras.ItemExtra(html, at) for pk, (html, at) in digests.items()}


# The live stories among a bulk batch's articles, while articles_saved_in_bulk indexes them.
_batch_live: ContextVar[set[int] | None] = ContextVar("changes_batch_live", default=None)


def _live_search_text(article: Article) -> str:
    """A live story's entries as search text (a query); an article of a bulk batch that is no
    live story has none, known from the batch's one query."""
    live_ids = _batch_live.get()
    if live_ids is not None and article.pk not in live_ids:
        return ""
    return live.search_text(article)


def _connect_live() -> None:
    """Live entries count as their story's text; the strip's times move the site version."""
    documents.register_extra_text(_live_search_text)
    feed_extras.register(live_feed_extras)
    versioning.register_due(live.next_breaking_change)
    post_save.connect(entry_changed, sender=LiveEntry, dispatch_uid="changes-live-entry-saved")
    post_delete.connect(entry_changed, sender=LiveEntry, dispatch_uid="changes-live-entry-deleted")
    post_save.connect(coverage_saved, sender=LiveCoverage, dispatch_uid="changes-live-saved")
    post_delete.connect(coverage_deleted, sender=LiveCoverage, dispatch_uid="changes-live-deleted")
    post_save.connect(site_changed, sender=BreakingNews, dispatch_uid="changes-breaking-saved")
    post_delete.connect(site_changed, sender=BreakingNews, dispatch_uid="changes-breaking-deleted")


def _connect_ads() -> None:
    """A creative, a placement or a «без реклами» entry changed: pages carry their slots as
    rendered, so the cached ones are retired (schedules need no bump: ads.js reads them)."""
    for model in (Creative, Placement, AdFreeArticle, AdFreeRubric):
        post_save.connect(site_changed, sender=model, dispatch_uid=f"changes-ads-saved-{model}")
        post_delete.connect(site_changed, sender=model, dispatch_uid=f"changes-ads-del-{model}")
    for through in (Creative.placements.through, Creative.rubrics.through, Creative.tags.through):
        m2m_changed.connect(site_changed, sender=through, dispatch_uid=f"changes-ads-m2m-{through}")
