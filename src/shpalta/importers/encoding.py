"""Reading input files: empty, binary and non-UTF-8 files get a clear error naming the problem."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import ItemError

# Control characters other than tab / newline / carriage return / form feed do not occur in text.
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
SNIFF = 8192


@contextmanager
def reading_errors() -> Iterator[None]:
    """A file that cannot be opened becomes an item error the report names in plain words."""
    try:
        yield
    except FileNotFoundError as error:
        raise ItemError("file not found") from error
    except IsADirectoryError as error:
        raise ItemError("is a directory, not a file") from error
    except OSError as error:
        raise ItemError(f"cannot read: {error.strerror or error}") from error


def read_bytes(path: Path) -> bytes:
    with reading_errors():
        return path.read_bytes()


def is_binary(data: bytes) -> bool:
    sample = data[:SNIFF]
    if b"\x00" in sample and not _utf16_bom(sample):
        return True
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls > max(2, len(sample) // 100)


def _utf16_bom(sample: bytes) -> bool:
    return sample.startswith((b"\xff\xfe", b"\xfe\xff"))


def guess_encoding(data: bytes) -> str | None:
    best = from_bytes(data[: SNIFF * 8]).best()
    return best.encoding if best is not None else None


def decode_utf8(data: bytes) -> str:
    """UTF-8 (a BOM is fine) or an error that says what the file seems to be instead."""
    if not data.strip():
        raise ItemError("empty file")
    if is_binary(data):
        raise ItemError("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        guess = guess_encoding(data)
        hint = f" (looks like {guess}; convert it: iconv -f {guess} -t utf-8)" if guess else ""
        raise ItemError(f"not UTF-8 at byte {error.start}{hint}") from error


def read_utf8(path: Path) -> str:
    return decode_utf8(read_bytes(path))
