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
        """The same index from flat arrays (the streamed rebuild): vectors one after another
        (`lengths` terms each, ids ascending within one), no per-article objects."""
        index = cls.__new__(cls)
        order = np.argsort(ids, kind="stable")
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        if not np.array_equal(order, np.arange(len(ids))):  # read in id order: normally not
            pieces = [np.arange(offsets[i], offsets[i + 1]) for i in order]
            take = np.concatenate(pieces) if pieces else np.zeros(0, np.int64)
            term_ids, weights, lengths = term_ids[take], weights[take], lengths[order]
            offsets = np.concatenate([[0], np.cumsum(lengths)])
        index.ids = np.asarray(ids, np.int64)[order]
        index.published = np.asarray(published, np.float64)[order]
        index.signatures = signatures[order]
        index.offsets = offsets
        index.term_ids = np.asarray(term_ids, np.uint32)
        index.weights = np.asarray(weights, np.float32)
        # each vector's strongest terms, as Vector.strongest picks them (stable, by weight)
        owners = np.repeat(np.arange(len(index.ids)), lengths)
        by_weight = np.lexsort((np.arange(len(owners)), -index.weights.astype(np.float64), owners))
        starts = np.repeat(offsets[:-1], lengths)
        rank = np.empty(len(owners), np.int64)
        rank[by_weight] = np.arange(len(owners)) - starts
        keep = by_weight[rank[by_weight] < config.posting_terms]
        index._build_posting_arrays(
            index.term_ids[keep], index.weights[keep], owners[keep], config.postings_per_term
        )
        return index

    def _build_postings(self, strongest: list[Vector], limit: int) -> None:
        terms = _concat([v.ids for v in strongest], np.uint32)
        weights = _concat([v.weights for v in strongest], np.float32)
        rows = np.repeat(np.arange(len(strongest)), [len(v.ids) for v in strongest])
        self._build_posting_arrays(terms, weights, rows, limit)

    def _build_posting_arrays(self, terms, weights, rows, limit: int) -> None:
        order = np.lexsort((-weights, terms))
        terms, weights, rows = terms[order], weights[order], rows[order]
        unique, starts, counts = np.unique(terms, return_index=True, return_counts=True)
        rank = np.arange(len(terms)) - np.repeat(starts, counts)
        keep = rank < limit
        self.posting_rows = rows[keep]
        self.posting_weights = weights[keep].astype(np.float64)
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
            weights.append(self.posting_weights[start:end])
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


def _concat(arrays: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype)
