"""normalise's one-apostrophe/plain-space/no-invisible step (`_simplified`) is a search and
replace per character: the same text as str.translate with the table, on every shape of input."""

import json
import random

from shpalta.text import normalise
from shpalta.text.normalise import _SIMPLE, _simplified


def test_every_character_of_the_table_alone_and_together():
    table = [chr(code) for code in _SIMPLE]
    for char in table:
        for text in (char, f"а{char}б", f"{char}{char}слово{char}"):
            assert _simplified(text) == text.translate(_SIMPLE)
    rng = random.Random(4)
    for _ in range(500):
        text = "".join(rng.choice([*table, "а", "ї", " ", "'", "x", "Ґ"]) for _ in range(30))
        assert _simplified(text) == text.translate(_SIMPLE)


def test_the_real_texts_normalise_as_before(data_dir):
    rows = [json.loads(line) for line in (data_dir / "uk-news" / "articles.jsonl").open()]
    for row in rows:
        for text in (row["title"], row["text"]):
            assert _simplified(text) == text.translate(_SIMPLE)
    assert normalise.normalise("Кам\u2019янець\u00a0— м\u00adісто") == "Кам'янець — місто"
