"""An article as the search index sees it: lemmas per field, exact forms, filters, a time key.

Built once per save by the shared analyser; both backends index exactly this, so they agree on
what matches and differ only in how they store and rank it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from shpalta.text.analyser import content_tokens, norm_lemmas

# Search walks the index newest first by a key that is the publication second in its high bits
# and the article id in its low bits: date filters become key ranges, ties are impossible.
ID_BITS = 21
# More text that belongs to an article's body in search, from capabilities search may not
# import (a live story's entries); shpalta.changes registers them and reindexes on their change.
ExtraText = Callable[[object], str]
_extra_text: list[ExtraText] = []


def register_extra_text(source: ExtraText) -> None:
    if source not in _extra_text:
        _extra_text.append(source)


@dataclass(frozen=True)
class Document:
    article_id: int
    published_at: datetime
    category_id: int | None
    title: tuple[str, ...]
    lead: tuple[str, ...]
    body: tuple[str, ...]
    forms: tuple[str, ...]  # the words as written (normalised), for the exact-form bonus

    @property
    def key(self) -> int:
        return time_key(self.published_at, self.article_id)


def time_key(moment: datetime, article_id: int = 0) -> int:
    return (int(moment.timestamp()) << ID_BITS) | (article_id & ((1 << ID_BITS) - 1))


def key_range(
    date_from: datetime | None, date_to: datetime | None
) -> tuple[int | None, int | None]:
    """Inclusive key bounds for articles published from `date_from` up to `date_to`."""
    low = time_key(date_from) if date_from else None
    high = time_key(date_to) | ((1 << ID_BITS) - 1) if date_to else None
    return low, high


def _terms(text: str, forms: dict[str, None]) -> tuple[str, ...]:
    """The field's distinct lemmas in text order; its words join `forms`. Each distinct word is
    looked up once: a news text says most of its words more than once."""
    words = dict.fromkeys(token.norm for token in content_tokens(text))
    forms.update(words)
    return tuple(dict.fromkeys(term for norm in words for term in norm_lemmas(norm)))


def build(article) -> Document:
    """Distinct terms per field: ranking weighs where a word stands, not how often it repeats."""
    forms: dict[str, None] = {}
    return Document(
        article_id=article.pk,
        published_at=article.published_at,
        category_id=article.category_id,
        title=_terms(article.title, forms),
        lead=_terms(article.lead, forms),
        body=_terms("\n".join([article.body_text, *(s(article) for s in _extra_text)]), forms),
        forms=tuple(forms),
    )
