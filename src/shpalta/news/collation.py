"""Ukrainian alphabetical order for names: Є after Е, І after И, Ґ after Г.

SQLite compares by code point, which puts Є, І, Ї and Ґ before А, so a collation is
registered on every SQLite connection; PostgreSQL has ICU's Ukrainian one. `UkrainianOrder`
picks the one the database at hand knows.
"""

from django.db.backends.signals import connection_created
from django.db.models.functions import Collate
from django.dispatch import receiver

ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
SQLITE_COLLATION = "uk"
POSTGRESQL_COLLATION = "uk-UA-x-icu"


def _char_key(char: str) -> tuple[int, int]:
    """Digits and punctuation (an apostrophe too: м’ята before мир) first, then the Ukrainian
    alphabet, then other letters: Latin after Cyrillic, as in ICU's Ukrainian order."""
    if char in LETTER_RANK:
        return 1, LETTER_RANK[char]
    return (2 if char.isalpha() else 0), ord(char)


def sort_key(text: str) -> tuple[list[tuple[int, int]], str]:
    """Case-blind by letters; the text itself breaks ties so the order is total."""
    return [_char_key(char) for char in text.lower()], text


def compare(left: str, right: str) -> int:
    left_key, right_key = sort_key(left), sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


@receiver(connection_created, dispatch_uid="shpalta-ukrainian-collation")
def register_on_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, compare)


class UkrainianOrder(Collate):
    """`ORDER BY name COLLATE <Ukrainian>` on SQLite and PostgreSQL alike."""

    def __init__(self, expression):
        super().__init__(expression, POSTGRESQL_COLLATION)

    def as_sqlite(self, compiler, connection, **extra_context):
        collation = connection.ops.quote_name(SQLITE_COLLATION)
        return self.as_sql(compiler, connection, collation=collation, **extra_context)
