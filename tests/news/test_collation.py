"""Names in Ukrainian alphabetical order on SQLite and PostgreSQL alike."""

import pytest

from shpalta.news.collation import UkrainianOrder, sort_key
from shpalta.news.models import Tag

pytestmark = pytest.mark.django_db

IN_ORDER = [
    "2024",
    "Антарктида",
    "Гора",
    "Ґанок",
    "Євген",
    "Європа",
    "Зима",
    "Золото",
    "Ірпінь",
    "Їжак",
    "йод",
    "Київ",
    "м’ята",
    "Мир",
    "Україна",
    "Berlin",
]


def test_the_sort_key_follows_the_ukrainian_alphabet():
    assert sorted(reversed(IN_ORDER), key=sort_key) == IN_ORDER


def test_the_database_orders_names_by_the_ukrainian_alphabet():
    for name in reversed(IN_ORDER):
        Tag.objects.create(name=name)
    names = list(Tag.objects.order_by(UkrainianOrder("name")).values_list("name", flat=True))
    assert names == IN_ORDER
