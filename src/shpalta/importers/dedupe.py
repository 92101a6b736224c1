"""The same story from two feeds appears once: MinHash over word shingles, LSH to find it.

A new feed entry (one not already known by GUID or link) is compared with the fingerprints of
recently imported feed articles and of the entries imported earlier in the same run. Two
texts whose estimated Jaccard similarity of 4-word shingles reaches the threshold are the same
story, even when one outlet edited a word or trimmed a paragraph.
"""

from datetime import timedelta

import numpy as np
from datasketch import MinHash, MinHashLSH
from django.utils import timezone

from shpalta.text.tokens import tokenise

from .items import Item
from .models import ImportRecord
from .pipeline import Deduper

NUM_PERM = 128
SCHEME = "affine32"  # named, so that stored fingerprints stay comparable across upgrades
THRESHOLD = 0.7
SHINGLE = 4
MIN_TOKENS = 12  # shorter texts (a title and a line) are matched by GUID and link only
WINDOW = timedelta(days=14)
MAX_LOADED = 50_000


def tokens(text: str) -> list[str]:
    """The words as search and related articles see them (`shpalta.text.tokens`): two outlets
    writing ʼ and ', or one with Latin look-alike letters, still tell the same story."""
    return [token.norm for token in tokenise(text)]


def minhash(text: str) -> MinHash | None:
    words = tokens(text)
    if len(words) < MIN_TOKENS:
        return None
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch(
        " ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)
    )
    return m


def to_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint32).tobytes()  # affine32: 32-bit values


def from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(data, dtype=np.uint32).copy()
    return MinHash(num_perm=len(values), hashvalues=values, scheme=SCHEME)


def story_text(item: Item) -> str:
    return f"{item.title}\n{item.text}"


class NearDuplicates(Deduper):
    """A Deduper for feed entries; loads recent fingerprints from the database lazily."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.hashes: dict[str, MinHash] = {}
        self.titles: dict[str, str] = {}
        self._loaded = False
        self._pending = 0
        self._memo: tuple[Item, MinHash | None] | None = None

    def _hash(self, item: Item) -> MinHash | None:
        """Each item is asked about three times in a row; hash its text once."""
        if self._memo is None or self._memo[0] is not item:
            self._memo = (item, minhash(story_text(item)))
        return self._memo[1]

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        since = timezone.now() - WINDOW
        rows = (
            ImportRecord.objects.filter(fingerprint__isnull=False, imported_at__gte=since)
            .order_by("-imported_at")
            .values_list("article_id", "article__title", "fingerprint")[:MAX_LOADED]
        )
        for article_id, title, fingerprint in rows:
            self._insert(f"a{article_id}", from_bytes(bytes(fingerprint)), title)

    def _insert(self, key: str, m: MinHash, title: str) -> None:
        if key not in self.hashes:
            self.lsh.insert(key, m)
            self.hashes[key] = m
            self.titles[key] = title

    def duplicate_of(self, item: Item) -> str | None:
        m = self._hash(item)
        if m is None:
            return None
        self._load()
        best, score = None, 0.0
        for key in self.lsh.query(m):
            similarity = m.jaccard(self.hashes[key])
            if similarity >= self.threshold and similarity > score:
                best, score = key, similarity
        if best is None:
            return None
        return f"near-duplicate of «{self.titles[best]}» (similarity {score:.2f})"

    def fingerprint(self, item: Item) -> bytes | None:
        m = self._hash(item)
        return to_bytes(m) if m is not None else None

    def remember(self, item: Item, article_id: int | None) -> None:
        m = self._hash(item)
        if m is None:
            return
        if article_id is None:  # a dry run: remember it under a run-local key
            self._pending += 1
            self._insert(f"run{self._pending}", m, item.title)
        else:
            self._insert(f"a{article_id}", m, item.title)
