"""A search document looks each distinct word of a field up once: its terms and forms are those
of looking every token up, in the same order (hyphenated words, numbers and repeats too)."""

from types import SimpleNamespace

import pytest

from shpalta.search import documents
from shpalta.text.analyser import content_tokens, norm_lemmas, token_lemmas

TEXT = (
    "Київ і Київ: пів-Європи чекає. У Києві 1 000 осіб, 12.03.2024 — 5-й день; "
    "Кличко, Кличка й Кличкові відповіли пів-Європи."
)


def per_token(text: str, forms: dict) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for token in content_tokens(text):
        forms[token.norm] = None
        for term in token_lemmas(token):
            found[term] = None
    return tuple(found)


def test_terms_and_forms_equal_a_lookup_per_token():
    forms, expected_forms = {}, {}
    assert documents._terms(TEXT, forms) == per_token(TEXT, expected_forms)
    assert list(forms) == list(expected_forms)
    assert "європа" in documents._terms(TEXT, {})  # a hyphenated word's part


def test_a_token_and_its_form_have_the_same_lemmas():
    for token in content_tokens(TEXT):
        assert norm_lemmas(token.norm) == token_lemmas(token)


@pytest.mark.django_db
def test_a_document_is_built_from_each_field():
    article = SimpleNamespace(
        pk=7, published_at=None, category_id=None, title="Київ", lead="", body_text=TEXT
    )
    document = documents.build(article)
    assert document.title == tuple(norm_lemmas("київ"))
    assert list(document.forms)[:2] == ["київ", "пів-європи"]
