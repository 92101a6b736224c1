"""TF-IDF vectors: weighting, truncation to the strongest terms, and their compact stored form.

Weight = (1 + ln weighted count) × (1 + ln((1 + N) / (1 + df))): sublinear term frequency and
the smoothed inverse document frequency. On the labelled news of bench/related_quality.py this
beat BM25's IDF (which all but zeroes words a third of the archive shares, and so loses the
vocabulary of a running story) and raw counts (which favour long texts); see the benchmark.
Only the strongest terms are kept, normalised to unit length.
"""

import zlib
from dataclasses import dataclass

import numpy as np


@dataclass
class Vector:
    """Term ids ascending with L2-normalised weights (ascending ids make dot products cheap)."""

    ids: np.ndarray  # uint32
    weights: np.ndarray  # float32

    def strongest(self, n: int) -> "Vector":
        order = np.argsort(-self.weights, kind="stable")[:n]
        return Vector(self.ids[order], self.weights[order])


def weigh_arrays(
    ids: np.ndarray, counts: np.ndarray, dfs: np.ndarray, documents: int, keep: int
) -> Vector:
    """The `keep` strongest terms of an article (term ids, weighted counts and how many
    articles have each term), weighted and normalised to unit length."""
    if len(ids) == 0:
        return Vector(np.zeros(0, np.uint32), np.zeros(0, np.float32))
    documents = np.maximum(float(documents), dfs)
    idfs = np.log((1.0 + documents) / (1.0 + dfs)) + 1.0
    weights = (1.0 + np.log(counts)) * idfs
    if len(ids) > keep:
        top = np.argpartition(-weights, keep - 1)[:keep]
        ids, weights = ids[top], weights[top]
    norm = float(np.sqrt((weights**2).sum()))
    if norm > 0:
        weights = weights / norm
    order = np.argsort(ids)
    return Vector(ids[order].astype(np.uint32), weights[order].astype(np.float32))


def pack(vector: Vector) -> bytes:
    return vector.ids.astype("<u4").tobytes() + vector.weights.astype("<f4").tobytes()


def unpack(data: bytes) -> Vector:
    data = bytes(data)
    n = len(data) // 8
    ids = np.frombuffer(data, dtype="<u4", count=n).astype(np.uint32)
    weights = np.frombuffer(data, dtype="<f4", count=n, offset=4 * n).astype(np.float32)
    return Vector(ids, weights)


def pack_counts(ids: np.ndarray, counts: np.ndarray) -> bytes:
    """All terms of an article with their counts, ids delta-coded, compressed (~3 bytes/term)."""
    order = np.argsort(ids)
    ordered = np.asarray(ids, np.int64)[order]
    deltas = np.diff(ordered, prepend=0).astype("<u4")
    values = np.asarray(counts, np.float32)[order].astype("<f4")
    return zlib.compress(deltas.tobytes() + values.tobytes(), 1)


def unpack_counts(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    raw = zlib.decompress(bytes(data)) if data else b""
    n = len(raw) // 8
    ids = np.cumsum(np.frombuffer(raw, dtype="<u4", count=n), dtype=np.int64)
    counts = np.frombuffer(raw, dtype="<f4", count=n, offset=4 * n).astype(np.float64)
    return ids, counts


def pack_signature(signature: np.ndarray) -> bytes:
    return signature.astype("<u4").tobytes()


def unpack_signature(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)


def dot_many(seed: Vector, ids: np.ndarray, weights: np.ndarray, owners: np.ndarray, n: int):
    """Dot products of `seed` with n vectors given as concatenated (ids, weights, owner index)."""
    if len(seed.ids) == 0 or len(ids) == 0:
        return np.zeros(n, np.float64)
    where = np.searchsorted(seed.ids, ids)
    where[where >= len(seed.ids)] = 0
    hit = seed.ids[where] == ids
    products = np.where(hit, weights.astype(np.float64) * seed.weights[where], 0.0)
    return np.bincount(owners, weights=products, minlength=n)
