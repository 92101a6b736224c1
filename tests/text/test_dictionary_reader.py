"""pymorphy3 reads the Ukrainian dictionary through the compiled DAWG reader (the `dawg2`
package, pinned in pyproject.toml): a new word form costs a third of the pure-Python reader's
time, so imports, saves and searches of unseen words are faster, with the same lemmas."""

import pymorphy3.dawg

from shpalta.text.lemmas import lemma


def test_the_compiled_reader_is_the_one_in_use():
    assert pymorphy3.dawg.DAWG.__module__ == "dawg", (
        "pymorphy3 fell back to dawg_python: install the pinned dawg2 (make install)"
    )


def test_lemmas_through_it_are_the_dictionary_forms():
    assert [lemma(word) for word in ("мостів", "новинами", "київської", "обстежили")] == [
        "міст",
        "новина",
        "київський",
        "обстежити",
    ]
