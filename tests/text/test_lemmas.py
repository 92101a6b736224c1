"""Hand-checked gold table: word forms as they appear in Ukrainian news → their lemma.

`lemma` must give the lemma itself; `lemmas` (what search indexes) must contain it.
"""

import pytest

from shpalta.text.analyser import lemma, lemmas
from shpalta.text.lemmas import CAPITALISED, LOWER, UPPER, shape

GOLD = [
    # nouns, all seven cases and plurals
    ("війна", "війна"), ("війни", "війна"), ("війні", "війна"), ("війну", "війна"),
    ("війною", "війна"), ("війно", "війна"), ("війнами", "війна"), ("війнах", "війна"),
    ("переговори", "переговори"), ("переговорів", "переговори"), ("переговорам", "переговори"),
    ("переговорах", "переговори"), ("переговорами", "переговори"),
    ("року", "рік"), ("роки", "рік"), ("років", "рік"), ("році", "рік"),
    ("дні", "день"), ("днів", "день"), ("людей", "людина"), ("дітей", "дитина"),
    ("підтримки", "підтримка"), ("підтримку", "підтримка"), ("підтримкою", "підтримка"),
    ("президентові", "президент"), ("президентом", "президент"), ("президента", "президент"),
    ("громадян", "громадянин"), ("ракетами", "ракета"), ("дронів", "дрон"),
    ("обстрілу", "обстріл"), ("вогню", "вогонь"), ("ради", "рада"), ("зброї", "зброя"),
    # names and places (capitalised, as written in text)
    ("Зеленський", "зеленський"), ("Зеленського", "зеленський"), ("Зеленському", "зеленський"),
    ("Зеленським", "зеленський"), ("Байден", "байден"), ("Байдена", "байден"),
    ("Байдену", "байден"), ("Байденом", "байден"), ("Путіна", "путін"),
    ("Києві", "київ"), ("Києва", "київ"), ("Києву", "київ"), ("Київ", "київ"),
    ("Львові", "львів"), ("Харкові", "харків"), ("Одесі", "одеса"), ("Дніпра", "дніпро"),
    ("Москвою", "москва"), ("України", "україна"), ("Україні", "україна"),
    ("Умєров", "умєров"), ("Умєрова", "умєров"), ("Умєрову", "умєров"),
    ("Буданова", "буданов"), ("Сирського", "сирський"), ("Залужного", "залужний"),
    # abbreviations
    ("НАТО", "нато"), ("США", "сша"), ("РФ", "рф"), ("ТЦК", "тцк"), ("ЄС", "єс"),
    # verbs
    ("сказав", "сказати"), ("заявила", "заявити"), ("зробить", "зробити"),
    ("сподівається", "сподіватися"), ("вів", "вести"), ("їхав", "їхати"), ("стали", "стати"),
    ("прагне", "прагнути"), ("вважає", "вважати"), ("шукає", "шукати"),
    # adjectives
    ("міжнародній", "міжнародний"), ("французьке", "французький"),
    ("військову", "військовий"), ("політичну", "політичний"), ("української", "український"),
    # apostrophes in every variant
    ("п’ять", "п'ять"), ("п'ять", "п'ять"), ("пʼять", "п'ять"), ("м`яча", "м'яч"),
    ("сім’ї", "сім'я"), ("пам’яті", "пам'ять"), ("обʼєктів", "об'єкт"), ("з‘їзду", "з'їзд"),
    # ґ є ї і
    ("ґанку", "ґанок"), ("ґудзики", "ґудзик"), ("Єрмака", "єрмак"), ("їжу", "їжа"),
    ("Європи", "європа"), ("інформації", "інформація"), ("їхні", "їхній"),
    # look-alike Latin letters and stress marks
    ("Kиїв", "київ"), ("вiйни", "війна"), ("перегово́рах", "переговори"), ("Сі́м'ї", "сім'я"),
]  # fmt: skip


def test_gold_table_is_big_enough():
    assert len(GOLD) >= 80
    assert len({form for form, _ in GOLD}) == len(GOLD)


@pytest.mark.parametrize(("form", "expected"), GOLD)
def test_best_lemma(form, expected):
    assert lemma(form) == expected


@pytest.mark.parametrize(("form", "expected"), GOLD)
def test_indexed_lemmas_contain_the_gold_lemma(form, expected):
    assert expected in lemmas(form)


def test_unknown_word_keeps_itself():
    assert lemmas("шпальтоцид")[0] == "шпальтоцид"
    assert lemma("") == ""


def test_letters_without_a_unicode_name_keep_themselves():
    """pymorphy3 asks unicodedata for every letter's name; Tangut ideographs have none."""
    assert lemmas("\U00017000") == ("\U00017000",)
    assert lemma("\U00017000а") == "\U00017000а"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("київ", LOWER),
        ("Київ", CAPITALISED),
        ("НАТО", UPPER),
        ("ТЦК-шник", CAPITALISED),
        ("12-ТЦК", UPPER),
        ("12-тцк", LOWER),
        ("2024", LOWER),
        ("Я", CAPITALISED),  # one capital letter is no acronym
        ("ǅx", LOWER),  # a titlecase letter is neither lowercase nor a capital
        ("ⅻ中中", LOWER),  # a lowercase numeral and letters without case
        ("中中", LOWER),
        ("", LOWER),
    ],
)
def test_shape_tells_lowercase_capitalised_and_acronyms(written, expected):
    """shape() answers lowercase words at once (islower): these are the edges where that must
    agree with the full check."""
    assert shape(written) == expected
