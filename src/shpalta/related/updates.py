"""Keeping the stored lists true as articles are published, edited, scheduled and withdrawn.

Each function here is what one background task does; all of it runs when articles change,
never when they are read.
"""

import logging
import time
from collections.abc import Iterable

import numpy as np
from django.db import DEFAULT_DB_ALIAS, transaction

from shpalta.news.models import Article
from shpalta.ops.writes import regenerable

from . import store, streamed
from .conf import Params, params
from .features import Source, extract, fingerprint, jaccard
from .models import RelatedLink
from .scoring import Neighbour, Seed, candidates, ranked, recency, select

log = logging.getLogger(__name__)

PENDING_BATCH = 100
# what an update reads of the article (`is_released`, `Source.of`, the vector's date): not its
# HTML body, as long again as the plain text it reads
SOURCE_FIELDS = ("status", "title", "lead", "body_text", "category_id", "published_at")


def update(article_id: int, force: bool = False) -> str:
    """Re-index one article after a save; returns what happened (for logs and tests).

    Its transaction is committed without waiting for the disk (`ops.writes.regenerable`: on
    PostgreSQL the commit's WAL flush was 1-12 ms of a publish on this machine's disk). What a
    crash of the database may lose is the last moments' updates, each whole: never part of one
    (an article's vector, its document counts, its postings and the lists it changed commit
    together) and never one without those committed before it, and any later commit that waits
    for the disk (the site version's bump that follows an update, a task's result) makes it
    durable too. Such a loss leaves the index as if the task had died before its commit, which
    the task queue already allows: the article's stored fingerprint is the old one, so its next
    save indexes it again, and `shpalta related rebuild` recomputes everything from the
    articles, which stay as durable as before. Withdrawals (`withdraw`) keep waiting for the
    disk: a story taken down must not come back into the stored lists with a crash.
    """
    config = params()
    article = Article.objects.only(*SOURCE_FIELDS).filter(pk=article_id).first()
    if article is None or not article.is_released:
        withdraw(article_id)
        return "removed"
    tags, current = store.tags_and_indexed(article.pk)
    source = Source.of(article, tags)
    if not force and current and current[0] == fingerprint(source, config):
        spread_due()  # a save that changed nothing similarity reads (no analysis needed)
        return "unchanged"
    features = extract(source, config)
    now = time.time()
    live = article.published_at.timestamp() <= now
    with regenerable(DEFAULT_DB_ALIAS):  # see `update`'s note on durability above
        seed = store.save_vector(article, features, config, current, spread=live)
        outcome = _place(seed, config, now, marked=live)
    spread_due()
    return outcome


def _place(seed: Seed, config: Params, now: float, marked: bool = False) -> str:
    """Compute the seed's own list and, when it is live, offer it to its neighbours (`marked`:
    its vector already says it was offered)."""
    copies: set[int] = set()
    found = candidates(seed, store.DatabaseIndex(), config, now, copies)
    own = store.as_entries(select(found, config))
    # the lists showing the seed, read with those `spread` writes (its targets' and its own)
    incoming, current = store.listing_and_lists(
        seed.article_id, [c.article_id for c in found[: config.spread_to]] + [seed.article_id]
    )
    incoming = set(incoming)
    if seed.published > now:
        store.write_lists({seed.article_id: own}, current)
        _detach(seed.article_id, incoming)
        return "scheduled"  # tasks.update_article defers its spread to its publication time
    stale = incoming - {c.article_id for c in found}
    if stale:  # lists other than those read: read again all the same after they are refilled
        _detach(seed.article_id, stale)
        current = None
    spread(seed, found, config, copies, own=own, current=current)
    if not marked:
        store.mark_spread(seed.article_id)
    return "published"


def spread(
    seed: Seed,
    found: list[Neighbour],
    config: Params,
    copies: set[int] | None = None,
    own: list[tuple[int, float]] | None = None,
    current: dict[int, list[tuple[int, int, int, float]]] | None = None,
) -> set[int]:
    """Put the seed into its nearest neighbours' lists where it beats their weakest entry.

    Scores are recomputed from each neighbour's point of view (recency is not symmetric);
    a neighbour listing a near-copy of the seed keeps whichever of the two scores higher.
    `own`, when given, is the seed's own list, written with the neighbours' in one go;
    `current`, `store.current_links` of the lists written, when the caller has read them.
    Returns the ids of the neighbours' lists that changed.
    """
    targets = found[: config.spread_to]
    wanted = [c.article_id for c in targets] + ([seed.article_id] if own is not None else [])
    if not wanted:
        return set()
    if current is None:
        current = store.current_links(wanted)
    lists = {
        article_id: [(related_id, score) for _, related_id, _, score in rows]
        for article_id, rows in current.items()
    }
    offers = []
    # the seed's date as each target reads it, for all of them at once (the same floats)
    readers = np.fromiter((t.published for t in targets), np.float64, len(targets))
    factors = np.broadcast_to(recency(readers, seed.published, config), readers.shape)
    for target, factor in zip(targets, factors.tolist(), strict=True):
        score = round(target.similarity * factor, 6)
        entries = lists.get(target.article_id, [])
        if _could_take(seed.article_id, score, entries, config):
            offers.append((target.article_id, score, entries))
    if copies is None:  # not known from scoring: compare with the entries' signatures
        entry_ids = {r for _, _, entries in offers for r, _ in entries} - {seed.article_id}
        copies = {
            r
            for r, signature in store.signatures(entry_ids).items()
            if jaccard(seed.signature, signature) >= config.duplicate_jaccard
        }
    changed: dict[int, list[tuple[int, float]]] = {}
    recompute: set[int] = set()
    for target_id, score, entries in offers:
        result = _offer(seed.article_id, score, entries, copies, config)
        if result is None:
            continue
        if result == "refresh":
            recompute.add(target_id)
        else:
            changed[target_id] = result
    store.write_lists(changed | ({seed.article_id: own} if own is not None else {}), current)
    refresh(recompute)
    return set(changed) | recompute


def _could_take(seed_id: int, score: float, entries, config: Params) -> bool:
    """False when the list is full of stronger entries and does not hold the seed already."""
    if any(r == seed_id for r, _ in entries):
        return True
    return len(entries) < config.size or score > min(s for _, s in entries)


def _offer(seed_id: int, score: float, entries, copies: set[int], config: Params):
    """The neighbour's new list with the seed offered to it, or None when nothing changes.

    `copies` are articles whose text is a near-copy of the seed's: a list keeps only the
    better scored of the two.
    """
    was_in = any(r == seed_id for r, _ in entries)
    others = [(r, s) for r, s in entries if r != seed_id]
    copied = [(r, s) for r, s in others if r in copies]
    if copied:
        if any(s >= score for _, s in copied):
            return "refresh" if was_in else None
        others = [e for e in others if e not in copied]
    if len(others) >= config.size and score <= min(s for _, s in others):
        return "refresh" if was_in else None
    merged = sorted([*others, (seed_id, score)], key=lambda e: (-e[1], -e[0]))
    return merged[: config.size]


def _detach(article_id: int, lists: Iterable[int]) -> None:
    """Drop an article from lists it no longer belongs in, and refill those lists."""
    lists = set(lists)
    if not lists:
        return
    RelatedLink.objects.filter(related_id=article_id, article_id__in=lists).delete()
    refresh(lists)


def refresh(article_ids: Iterable[int]) -> int:
    """Recompute the lists of already indexed articles from their stored vectors."""
    config, now = params(), time.time()
    index = store.DatabaseIndex()
    lists = {}
    for article_id in sorted(set(article_ids)):
        seed = store.stored_seed(article_id)
        if seed is not None:
            lists[article_id] = store.as_entries(select(ranked(seed, index, config, now), config))
    store.write_lists(lists)
    return len(lists)


def forget(article_id: int) -> list[int]:
    """An article about to be deleted: its document counts are given back now, while its terms
    are still stored; returns the lists that showed it, to refill once the deletion commits."""
    affected = set(
        RelatedLink.objects.filter(related_id=article_id).values_list("article_id", flat=True)
    ) - {article_id}
    store.remove_vector(article_id)
    return sorted(affected)


def withdraw(article_id: int) -> None:
    """An article unpublished or deleted: out of the index and out of every list."""
    with transaction.atomic():
        affected = set(
            RelatedLink.objects.filter(related_id=article_id).values_list("article_id", flat=True)
        )
        RelatedLink.objects.filter(related_id=article_id).delete()
        RelatedLink.objects.filter(article_id=article_id).delete()
        store.remove_vector(article_id)
    refresh(affected - {article_id})


def reweigh_stale(limit: int | None = None) -> int:
    """Bring the oldest-weighed vectors up to today's document counts and refresh their lists."""
    config = params()
    ids = store.stale(limit or config.reweigh_batch, config.stale_factor)
    if not ids:
        return 0
    store.reweigh(ids, config)
    refresh(ids)
    return len(ids)


def spread_due(limit: int = PENDING_BATCH) -> int:
    """Scheduled articles whose time has come join their neighbours' lists.

    Called after every update and by a deferred task where the backend can defer, so no cron
    is needed; `shpalta related catchup` runs it by hand.
    """
    due = store.due(limit)
    config = params()
    for article_id in due:
        seed = store.stored_seed(article_id)
        if seed is None:
            continue
        with regenerable(DEFAULT_DB_ALIAS):  # as `update`'s
            _place(seed, config, time.time())
    return len(due)


def analyse_saved(articles) -> streamed.Analysed:
    """A bulk import's articles: each released one's terms and MinHash (while its text's tokens
    are fresh from search's analysis), for `store_analysed`."""
    return streamed.analyse_saved(articles, params())


def store_analysed(analysed: streamed.Analysed) -> int:
    """A bulk import's batch, analysed a few articles at a time by `analyse_saved`, stored at
    once for the rebuild that ends the run: nothing is weighed or listed, and the incremental
    path treats it as not indexed yet."""
    return streamed.store_analysed(analysed)


def indexed_count() -> int:
    """How many articles the index holds (a counter, not a count of rows)."""
    return store.documents()


def has_stale() -> bool:
    return bool(store.stale(1, params().stale_factor))
