"""The index held in arrays, for recomputing every list at once (`shpalta related rebuild`).

It answers the same two questions as the database index, with the same limits (each term's
heaviest postings, the same stored vectors), so a rebuilt list equals what incremental updates
would have produced from the same vectors.
"""

import numpy as np

from .conf import Params
from .scoring import Loaded, top_candidates
from .vectors import Vector


class MemoryIndex:
    def __init__(
        self,
        ids: np.ndarray,
        published: np.ndarray,
        signatures: np.ndarray,
        vectors: list[Vector],
        posting_terms: int,
        postings_per_term: int,
    ):
        order = np.argsort(ids)
        self.ids = np.asarray(ids, np.int64)[order]
        self.published = np.asarray(published, np.float64)[order]
        self.signatures = signatures[order]
        vectors = [vectors[i] for i in order]
        lengths = np.fromiter((len(v.ids) for v in vectors), np.int64, len(vectors))
        self.offsets = np.concatenate([[0], np.cumsum(lengths)])
        self.term_ids = _concat([v.ids for v in vectors], np.uint32)
        self.weights = _concat([v.weights for v in vectors], np.float32)
        self._build_postings([v.strongest(posting_terms) for v in vectors], postings_per_term)

    @classmethod
    def from_arrays(cls, ids, published, signatures, lengths, term_ids, weights, config):
        """The same index from flat arrays (vectors one after another, `lengths` terms each,
        ids ascending within one), no per-article objects."""
        keep = strongest_entries(weights, lengths, config.posting_terms)
        owners = np.repeat(np.arange(len(ids)), lengths)
        return cls.from_parts(
            ids,
            published,
            signatures,
            lengths,
            term_ids,
            weights,
            (term_ids[keep], weights[keep], owners[keep]),
            config,
        )

    @classmethod
    def from_parts(cls, ids, published, signatures, lengths, term_ids, weights, strongest, config):
        """The index from flat arrays and each vector's strongest terms already picked
        (`strongest_entries`: terms, weights, row of their vector), as the streamed rebuild
        reads them a chunk at a time: nothing proportional to all terms of the archive is
        sorted at once. Ids must be ascending (the rebuild reads in id order)."""
        ids = np.asarray(ids, np.int64)
        if len(ids) > 1 and not (np.diff(ids) > 0).all():
            raise ValueError("vectors must come in ascending id order")
        index = cls.__new__(cls)
        index.ids = ids
        index.published = np.asarray(published, np.float64)
        index.signatures = signatures
        index.offsets = np.concatenate([[0], np.cumsum(lengths)])
        index.term_ids = np.asarray(term_ids, np.uint32)
        index.weights = np.asarray(weights, np.float32)
        terms, term_weights, rows = strongest
        index._build_posting_arrays(terms, term_weights, rows, config.postings_per_term)
        return index

    def _build_postings(self, strongest: list[Vector], limit: int) -> None:
        terms = _concat([v.ids for v in strongest], np.uint32)
        weights = _concat([v.weights for v in strongest], np.float32)
        rows = np.repeat(np.arange(len(strongest)), [len(v.ids) for v in strongest])
        self._build_posting_arrays(terms, weights, rows, limit)

    def _build_posting_arrays(self, terms, weights, rows, limit: int) -> None:
        order = np.lexsort((-weights, terms))
        terms, weights, rows = terms[order], weights[order], rows[order]
        del order
        unique, starts, counts = np.unique(terms, return_index=True, return_counts=True)
        keep = np.arange(len(terms)) - np.repeat(starts, counts) < limit
        # compact: rows as int32, weights as stored (float32, widened exactly when read)
        self.posting_rows = rows[keep].astype(np.int32)
        self.posting_weights = weights[keep].astype(np.float32)
        kept = np.minimum(counts, limit)
        self.posting_terms = unique
        self.posting_starts = np.concatenate([[0], np.cumsum(kept)])

    def postings(self, term_ids: np.ndarray, limit: int):
        where = np.searchsorted(self.posting_terms, term_ids)
        where[where >= len(self.posting_terms)] = 0
        found = self.posting_terms[where] == term_ids
        ids, weights, positions = [], [], []
        for position in np.flatnonzero(found):
            start = self.posting_starts[where[position]]
            end = min(self.posting_starts[where[position] + 1], start + limit)
            ids.append(self.ids[self.posting_rows[start:end]])
            weights.append(self.posting_weights[start:end].astype(np.float64))
            positions.append(np.full(end - start, position, np.int64))
        if not ids:
            empty = np.zeros(0, np.int64)
            return empty, np.zeros(0), empty
        return np.concatenate(ids), np.concatenate(weights), np.concatenate(positions)

    def nearest(self, query: Vector, seed_id: int, params: Params) -> Loaded:
        ids, weights, positions = self.postings(query.ids, params.postings_per_term)
        chosen = top_candidates(
            ids, weights, query.weights[positions].astype(np.float64), seed_id, params.candidates
        )
        return self.load(np.sort(chosen))

    def row(self, article_id: int) -> int:
        return int(np.searchsorted(self.ids, article_id))

    def vector(self, row: int) -> Vector:
        start, end = self.offsets[row], self.offsets[row + 1]
        return Vector(self.term_ids[start:end], self.weights[start:end])

    def load(self, article_ids: np.ndarray) -> Loaded:
        rows = np.searchsorted(self.ids, article_ids)
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        lengths = ends - starts
        owners = np.repeat(np.arange(len(rows)), lengths)
        within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        positions = np.repeat(starts, lengths) + within
        return Loaded(
            self.ids[rows],
            self.published[rows],
            self.signatures[rows],
            self.term_ids[positions],
            self.weights[positions],
            owners,
        )


def strongest_entries(weights: np.ndarray, lengths: np.ndarray, n: int) -> np.ndarray:
    """Positions of each vector's `n` heaviest terms among vectors laid one after another, as
    Vector.strongest picks them (by weight, ties to the earlier term)."""
    owners = np.repeat(np.arange(len(lengths)), lengths)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    by_weight = np.lexsort((np.arange(len(owners)), -weights.astype(np.float64), owners))
    rank = np.empty(len(owners), np.int64)
    rank[by_weight] = np.arange(len(owners)) - np.repeat(offsets[:-1], lengths)
    return by_weight[rank[by_weight] < n]


def _concat(arrays: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype)
