"""Reading input files: empty, binary, non-UTF-8 and oversized files (a gzip bomb too) get a
clear error naming the problem, before they can fill memory."""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from charset_normalizer import from_bytes
from django.conf import settings

from .errors import ItemError

# Control characters other than tab / newline / carriage return / form feed do not occur in text.
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
SNIFF = 8192
CHUNK = 1 << 16
MB = 1024 * 1024


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


def read_bytes(path: Path, *, gzipped: bool = False) -> bytes:
    """The file's bytes (decompressed if `gzipped`), refused past SHPALTA_IMPORT_MAX_ITEM_BYTES
    without reading further: one item may not take the memory the others need."""
    cap = settings.SHPALTA_IMPORT_MAX_ITEM_BYTES
    with reading_errors(), path.open("rb") as handle:
        if gzipped:
            return gunzip_stream(iter(lambda: handle.read(CHUNK), b""), cap)
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise too_big("", cap)
    return data


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


def too_big(name: str, cap: int, *, unpacked: bool = False) -> ItemError:
    """«larger than 20 MB», after the name of what was too big when the label does not say it."""
    size = f"larger than {cap / MB:g} MB" + (" once decompressed" if unpacked else "")
    return ItemError(f"{name}: {size}" if name else size)


def gunzip(data: bytes, cap: int, name: str) -> bytes:
    """gzip data decompressed up to `cap` bytes: a small file that expands to gigabytes is
    refused after `cap`, not after filling memory."""
    return gunzip_stream(iter([data]), cap, name)


def gunzip_stream(chunks, cap: int, name: str = "") -> bytes:
    """Compressed chunks in, at most `cap` decompressed bytes out (or an error naming it)."""
    inflater, out, size = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS), [], 0
    try:
        for chunk in chunks:
            pending = chunk
            while pending:
                piece = inflater.decompress(pending, cap + 1 - size)
                size += len(piece)
                if size > cap:
                    raise too_big(name, cap, unpacked=True)
                out.append(piece)
                pending = inflater.unconsumed_tail
                if inflater.eof:
                    return b"".join(out)
    except zlib.error as error:
        raise ItemError(f"{name}: not a gzip file: {error}".lstrip(": ")) from error
    if not inflater.eof:
        raise ItemError(f"{name}: not a gzip file: it ends too soon".lstrip(": "))
    return b"".join(out)
