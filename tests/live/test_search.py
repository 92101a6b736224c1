"""Live entries are found by search as part of their story."""

import pytest

from shpalta.live import service
from shpalta.search.service import search


def found(query: str) -> list[int]:
    return [hit.article.pk for hit in search(query).results]


@pytest.mark.django_db(transaction=True)
def test_a_word_only_in_an_entry_finds_the_story_and_leaves_with_it(story):
    assert story.pk not in found("Вишгороді")
    entry = service.post(story.pk, "<p>Уламки дрона впали у Вишгороді</p>")
    assert story.pk in found("Вишгород")  # another form of the word
    entry.delete()
    assert story.pk not in found("Вишгород")
