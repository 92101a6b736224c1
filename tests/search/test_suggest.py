"""Corrections: what comes from switching the layout, and how a corrected query is written."""

from shpalta.search.query import parse
from shpalta.search.suggest import word_options, written_as_in


def test_options_say_which_come_from_switching_the_layout():
    options = dict(word_options("pfktycmrbq"))
    assert options["зеленський"] is True
    assert all(switched is False for switched in dict(word_options("переговрах")).values())


def test_a_word_the_texts_capitalise_mid_sentence_is_shown_capitalised():
    query = parse("зеленський переговори")
    texts = [
        "Зеленський прагне миру.",  # a sentence start says nothing
        "Президент Володимир Зеленський почав переговори. Переговори тривали.",
        "Як сказав Зеленського речник, «переговори» важкі.",
    ]
    assert written_as_in(query, texts) == "Зеленський переговори"


def test_a_word_written_only_at_sentence_starts_stays_lowercase():
    assert written_as_in(parse("переговори"), ["Переговори тривали. Переговори скінчились."]) == (
        "переговори"
    )
