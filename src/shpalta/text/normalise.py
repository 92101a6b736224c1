"""One spelling for text that reaches Ukrainian readers in many.

Pasted news carries typographic apostrophes, Latin letters typed inside Cyrillic words (`Кuїв`),
stress marks from dictionaries, soft hyphens and zero-width characters from CMS editors. Search
and similarity must see one form, and the tokeniser must still point back into the original text
to highlight it, so `normalise_with_offsets` keeps a map from every output character to its source.
"""

import re
import unicodedata

APOSTROPHES = "\u2019\u02bc\u2018\u0060\u00b4\u2032\u02b9"
_REMOVED = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_SPACES = "\u00a0\u202f\u2007\u2009\u200a"
_STRESS = "\u0301\u0300"

_SIMPLE = str.maketrans(
    {**{c: "'" for c in APOSTROPHES}, **{c: " " for c in _SPACES}, **{c: None for c in _REMOVED}}
)
# str.translate with a table of non-ASCII characters looks every character of a Cyrillic text up
# in it (166 us for an average uk-news text); a C-speed search and replace per character is
# about a tenth of that, with the same result.
_SIMPLE_PAIRS = tuple((chr(code), replacement or "") for code, replacement in _SIMPLE.items())


def _simplified(text: str) -> str:
    """One apostrophe, plain spaces, no invisible characters: `text.translate(_SIMPLE)`."""
    for char, replacement in _SIMPLE_PAIRS:
        if char in text:
            text = text.replace(char, replacement)
    return text


# Only what can change length or needs decomposition takes the slow, offset-keeping path.
_STRESSED = "áàéèíìóòúùýÁÀÉÈÍÌÓÒÚÙÝѐѝЀЍ"
_SLOW = re.compile(f"[{_REMOVED}{_STRESSED}\u0300-\u036f]")

LATIN_TO_CYRILLIC = {
    "a": "а", "c": "с", "e": "е", "i": "і", "o": "о", "p": "р", "x": "х", "y": "у", "ï": "ї",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М", "O": "О",
    "P": "Р", "T": "Т", "X": "Х", "Ï": "Ї",
}  # fmt: skip
CYRILLIC_TO_LATIN = {cyr: lat for lat, cyr in LATIN_TO_CYRILLIC.items()}
_TO_CYRILLIC = str.maketrans(LATIN_TO_CYRILLIC)
_TO_LATIN = str.maketrans(CYRILLIC_TO_LATIN)
_LATIN_LOOKALIKE = set(LATIN_TO_CYRILLIC)
_CYRILLIC_LOOKALIKE = set(CYRILLIC_TO_LATIN)
# A run of letters with a Latin letter and a Cyrillic one. It can only start where a run starts
# (had it matched inside one, it would have matched from the run's start): the look-behind
# rejects every other position at once, where the look-aheads would read to the run's end.
_MIXED_WORD = re.compile(
    r"(?<![^\W\d_])(?=[^\W\d_]*[A-Za-zÏï])(?=[^\W\d_]*[\u0400-\u04ff])[^\W\d_]+"
)
_LATIN = re.compile("[A-Za-zÏï]")  # what both patterns need; many Ukrainian texts have none


# A one-letter Latin word between Cyrillic words: `Київ i Харків`.
_LONE_LATIN = re.compile(r"(?<=[\u0400-\u04ff] )[aceiopxyACEIOPXY](?= [\u0400-\u04ff])")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _unmix(word: str) -> str:
    """A word in two scripts is written in the script of its letters that have no look-alike."""
    cyr = sum(1 for ch in word if _is_cyrillic(ch))
    lat = len(word) - cyr
    cyr_only = sum(1 for ch in word if _is_cyrillic(ch) and ch not in _CYRILLIC_LOOKALIKE)
    lat_only = sum(1 for ch in word if not _is_cyrillic(ch) and ch not in _LATIN_LOOKALIKE)
    if cyr_only and lat_only:
        return word
    if cyr_only or (not lat_only and cyr >= lat):
        return word.translate(_TO_CYRILLIC)
    return word.translate(_TO_LATIN)


def _fix_scripts(text: str) -> str:
    """Same length in, same length out: look-alike letters are swapped one for one."""
    if not _LATIN.search(text):
        return text
    text = _MIXED_WORD.sub(lambda m: _unmix(m.group()), text)
    return _LONE_LATIN.sub(lambda m: m.group().translate(_TO_CYRILLIC), text)


def _clean_cluster(cluster: str) -> str:
    """Drop stress marks but keep й, ї, ё: decompose, remove U+0301/U+0300, recompose."""
    decomposed = unicodedata.normalize("NFD", cluster)
    kept = "".join(ch for ch in decomposed if ch not in _STRESS)
    return unicodedata.normalize("NFC", kept).translate(_SIMPLE)


_CLUSTER = re.compile(r".[\u0300-\u036f]*", re.DOTALL)


def normalise_with_offsets(text: str) -> tuple[str, list[tuple[int, int]] | None]:
    """The normalised text and, when lengths differ, each output character's source span.

    `None` means the map is the identity (the common case, kept cheap for indexing).
    """
    if not _SLOW.search(text) and unicodedata.is_normalized("NFC", text):
        return _fix_scripts(_simplified(text)), None
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _CLUSTER.finditer(text):
        cleaned = _clean_cluster(match.group())
        out.append(cleaned)
        spans.extend([match.span()] * len(cleaned))
    return _fix_scripts("".join(out)), spans


def normalise(text: str) -> str:
    """NFC, one apostrophe (U+0027), no stress marks or invisible characters, one script a word."""
    return normalise_with_offsets(text)[0]
