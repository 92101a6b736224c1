"""The analyser's contract: normalisation, tokens with original offsets, stop words, terms."""

import pytest

from shpalta.text.analyser import (
    STOP_WORDS,
    analyse,
    index_terms,
    normalise,
    tokenise,
)


def test_apostrophe_variants_become_one():
    for variant in ["п’ять", "пʼять", "п‘ять", "п`ять", "п'ять", "п\u00b4ять", "п\u02b9ять"]:
        assert normalise(variant) == "п'ять"


def test_stress_marks_go_but_short_i_and_yi_stay():
    assert normalise("Украї́на й Київ́") == "Україна й Київ"
    assert normalise("пере\u0301говори") == "переговори"
    assert normalise("йод") == "йод"


def test_invisible_characters_and_nbsp():
    assert normalise("Зелен\u00adський\u200b заявив\u00a0вчора\ufeff") == "Зеленський заявив вчора"


def test_latin_lookalikes_inside_cyrillic_and_back():
    assert normalise("Kиїв i Хapкiв") == "Київ і Харків"
    assert normalise("Wі-Fі") == "Wi-Fi"
    assert normalise("iPhone") == "iPhone"
    assert normalise("НАТО NATO") == "НАТО NATO"


@pytest.mark.parametrize(
    ("written", "expected"),
    [  # K, i and o below are Latin letters typed into Cyrillic words
        ("2024Kиїв", "2024Київ"),  # after digits, with no word break before it
        ("_Kиїв та Kиїв", "_Київ та Київ"),
        ("K_иїв", "K_иїв"),  # the underscore splits it into two words of one script each
        ("уряд Kиїв i Харків", "уряд Київ і Харків"),
        ("урядoвий", "урядовий"),  # the mixed run is fixed from its first letter
        ("Кuїв", "Кuїв"),  # u has no Cyrillic look-alike: left as written
        ("Київ і Харків", "Київ і Харків"),  # no Latin letter at all: unchanged
    ],
)
def test_a_mixed_word_anywhere_is_written_in_one_script(written, expected):
    assert normalise(written) == expected


def test_nfc():
    assert normalise("и\u0306од") == "йод"


def test_tokens_keep_hyphens_abbreviations_numbers_dates():
    norms = [t.norm for t in tokenise("пів-Європи, ТЦК і РФ: 1 000 гривень 12.03.2024 п’ять")]
    assert norms == ["пів-європи", "тцк", "і", "рф", "1000", "гривень", "12.03.2024", "п'ять"]


def test_token_offsets_point_into_the_original_text():
    text = "Пре\u200bзиде\u0301нт\u00a0Кuїв Зелен\u00adського — «НАТО»"
    for token in tokenise(text):
        assert text[token.start : token.end] == token.surface
    assert [t.surface for t in tokenise(text)][-2:] == ["Зелен\u00adського", "НАТО"]
    assert tokenise(text)[-2].norm == "зеленського"


def test_is_name_skips_sentence_starts_but_keeps_abbreviations():
    tokens = {t.surface: t.is_name for t in tokenise("Вчора Байден говорив. НАТО мовчить. Отже")}
    assert tokens == {"Вчора": False, "Байден": True, "говорив": False, "НАТО": True,
                      "мовчить": False, "Отже": False}  # fmt: skip


def test_stop_words_are_dropped_but_names_stay():
    assert {"і", "та", "що", "на", "до", "це"} <= STOP_WORDS
    assert not {"сша", "рф", "нато", "україна", "війна"} & STOP_WORDS
    assert analyse("Зеленський і Байден говорили про НАТО та США") == [
        "зеленський", "байден", "говорити", "нато", "сша",
    ]  # fmt: skip


def test_index_terms_carry_every_candidate():
    terms = index_terms("У Києві тривають переговори щодо війни")
    assert {"київ", "кий", "переговори", "війна"} <= set(terms)
    assert "щодо" not in terms


def test_index_terms_add_hyphen_parts():
    assert {"пів-європи", "європа"} <= set(index_terms("пів-Європи"))


def test_empty_and_hostile_input():
    assert tokenise("") == []
    assert analyse("\x00\x01 ;;; ***") == []
    assert index_terms("\ud800 ' - ") == []
