"""Signatures are stored and compared for years: however they are computed, each is the MinHash
of the crc32 of every shingle of SHINGLE words joined by spaces, as the index stored them."""

import zlib

import numpy as np
import pytest

from shpalta.related.features import _A, _B, _PRIME, EMPTY_SIGNATURE, SHINGLE, signature
from shpalta.text.analyser import tokenise

TEXT = (
    "Верховна Рада ухвалила в першому читанні законопроєкт про об'єднання громад. "
    "Прем'єр-міністр заявив, що 1 000 громад отримають 12,5 млрд грн до 31.12.2025; "
    "НАТО і ЄС привітали рішення, а опозиція — ні. Kyiv Post: «пів-Європи» стежить."
)


def reference(words: list[str]) -> np.ndarray:
    if not words:
        return EMPTY_SIGNATURE.copy()
    width = min(SHINGLE, len(words))
    hashes = np.array(
        [
            zlib.crc32(" ".join(words[i : i + width]).encode())
            for i in range(len(words) - width + 1)
        ],
        dtype=np.uint64,
    )
    mixed = (np.outer(hashes, _A) + _B) % _PRIME
    return (mixed.min(axis=0) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


WORDS = [token.norm for token in tokenise(TEXT)]


@pytest.mark.parametrize(
    "words",
    [WORDS, WORDS[:1], WORDS[: SHINGLE - 1], WORDS[:SHINGLE], WORDS[: SHINGLE + 1], [], ["ї"] * 9],
)
def test_the_signature_is_the_minhash_of_the_joined_shingles(words):
    assert np.array_equal(signature(words), reference(words))


def test_a_known_text_keeps_its_stored_signature():
    # as the first implementation computed it (and the index stored it): a change here would
    # split every stored signature from the new ones, and near-copies would go unrecognised
    assert len(WORDS) == 33
    assert signature(WORDS)[:8].tolist() == [
        412887691, 2784540042, 194771794, 3313745734, 3195246097, 249607453, 4026583216, 560940561
    ]  # fmt: skip
    assert signature(WORDS).dtype == np.uint32
