"""Streaming XML input for exports too big to load: a bare-ampersand repair and a checked parse.

Real WordPress exports carry raw `&` in URLs (WordPress's own importer falls back to a regex
parser for them); escaping those, and only those, keeps the strict XML parser for everything
else, so a truly broken file is still refused.
"""

import re
from collections.abc import Iterator

from lxml import etree

from .encoding import guess_encoding, reading_errors
from .errors import ItemError

_ENTITY = re.compile(rb"&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_][\w.-]*);")
_CDATA_OPEN, _CDATA_CLOSE = b"<![CDATA[", b"]]>"
CHUNK = 1 << 16


class AmpersandRepair:
    """A file-like reader that escapes `&` not starting an entity, outside CDATA sections."""

    def __init__(self, raw):
        self.raw = raw
        self.carry = b""
        self.in_cdata = False
        self.consumed = 0  # bytes of the underlying file read so far (for progress)

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk = self.raw.read(CHUNK)
            self.consumed += len(chunk)
            out, self.carry = self._fix(self.carry + chunk, final=not chunk)
            if out or not chunk:
                return out

    def _fix(self, data: bytes, final: bool) -> tuple[bytes, bytes]:
        out, pos = [], 0
        while pos < len(data):
            if self.in_cdata:
                end = data.find(_CDATA_CLOSE, pos)
                if end < 0:
                    keep = len(data) if final else max(pos, len(data) - 2)
                    out.append(data[pos:keep])
                    return b"".join(out), data[keep:]
                out.append(data[pos : end + 3])
                pos, self.in_cdata = end + 3, False
                continue
            amp, cdata = data.find(b"&", pos), data.find(_CDATA_OPEN, pos)
            if amp < 0 and cdata < 0:
                keep = len(data) if final else max(pos, len(data) - len(_CDATA_OPEN))
                out.append(data[pos:keep])
                return b"".join(out), data[keep:]
            if cdata >= 0 and (amp < 0 or cdata < amp):
                out.append(data[pos : cdata + len(_CDATA_OPEN)])
                pos, self.in_cdata = cdata + len(_CDATA_OPEN), True
                continue
            match = _ENTITY.match(data, amp)
            if match:
                out.append(data[pos : match.end()])
                pos = match.end()
            elif not final and len(data) - amp < 64 and b";" not in data[amp:]:
                out.append(data[pos:amp])  # may be an entity cut by the chunk boundary
                return b"".join(out), data[amp:]
            else:
                out.append(data[pos:amp] + b"&amp;")
                pos = amp + 1
        return b"".join(out), b""


def open_repaired(path) -> AmpersandRepair:
    with reading_errors():
        return AmpersandRepair(open(path, "rb"))  # noqa: SIM115 - closed by the caller


def iterparse(stream, tags=None) -> Iterator:
    """End events of a streamed parse. Namespace oddities (a non-ASCII namespace URI) are
    tolerated; a well-formedness error raises `BrokenXML` once the parse ends (recovery mode
    yields what it could read: only a complete first pass, which writes nothing, may trust
    the file)."""
    context = etree.iterparse(
        stream,
        events=("end",),
        tag=tags,
        recover=True,
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
    )
    try:
        yield from context
    except etree.XMLSyntaxError as error:
        raise BrokenXML(str(error)) from error
    fatal = _first_fatal(context.error_log)
    if fatal is not None:
        raise BrokenXML(fatal)
    if getattr(context, "root", None) is None:
        raise BrokenXML("no XML content")


class BrokenXML(ItemError):
    pass


def _first_fatal(log) -> str | None:
    for entry in log:
        if entry.level_name == "FATAL" or (
            entry.level_name == "ERROR" and entry.domain_name != "NAMESPACE"
        ):
            return f"{entry.message.strip()} (line {entry.line}, column {entry.column})"
    return None


def explain(error: BrokenXML, path) -> str:
    """The parser's message, plus an encoding hint when the bytes are not what they claim."""
    message = str(error)
    if "UTF-8" in message or "encoding" in message.lower() or "Char 0x" in message:
        with open(path, "rb") as handle:
            guess = guess_encoding(handle.read(1 << 16))
        if guess and guess.replace("_", "-") not in {"utf-8", "ascii"}:
            message += f"; the file looks like {guess}, not UTF-8"
    return f"broken XML: {message}"
