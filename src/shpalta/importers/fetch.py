"""Every outbound fetch of the importers: a total deadline, a size cap, and redirects checked.

A feed address is chosen by someone outside, and a polling aggregator fetches it again and
again: a server that drips one byte every few seconds, sends an endless body, or redirects to
`ftp://` or to the site's own network must cost a bounded time and memory and reach nothing
private. Redirects are followed here, hop by hop: each hop's scheme is checked and its host
resolved once; the connection goes to the checked address (so a second DNS answer cannot
swap it) unless SHPALTA_FETCH_ALLOW_PRIVATE allows loopback, private and link-local hosts.
"""

import contextlib
import http.client
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.conf import settings

from .encoding import gunzip, too_big
from .errors import ItemError

REDIRECTS = {301, 302, 303, 307, 308}
MAX_HOPS = 5
CHUNK = 1 << 16


@dataclass
class Answer:
    status: int  # 200, or 304 for "not modified"
    body: bytes = b""
    headers: dict = field(default_factory=dict)  # lower-case names
    url: str = ""  # where the body came from, after redirects


def masked(url: str) -> str:
    """The address without its password, for messages and reports."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def get(url: str, headers: dict | None = None) -> Answer:
    """GET an http(s) address within SHPALTA_FETCH_DEADLINE_SECONDS and _MAX_BYTES."""
    deadline = time.monotonic() + settings.SHPALTA_FETCH_DEADLINE_SECONDS
    current = url
    for _hop in range(MAX_HOPS + 1):
        status, answer = _one_hop(current, headers or {}, deadline)
        if status not in REDIRECTS:
            return answer
        location = answer.headers.get("location", "")
        if not location:
            raise ItemError(f"{masked(current)}: HTTP {status} without a Location")
        current = urljoin(current, location.strip())
    raise ItemError(f"{masked(url)}: more than {MAX_HOPS} redirects")


def _one_hop(url: str, headers: dict, deadline: float) -> tuple[int, Answer]:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ItemError(f"refused {masked(url)}: only http(s) addresses are fetched")
    addresses = checked_addresses(parts.hostname, parts.port, url)
    connection = _connection(parts, addresses, deadline)
    watchdog = threading.Timer(max(deadline - time.monotonic(), 0), _cut, (connection,))
    watchdog.start()
    try:
        return _exchange(connection, parts, headers, deadline, url)
    except (OSError, http.client.HTTPException) as error:
        if time.monotonic() >= deadline:
            raise _too_slow(url) from error
        raise ItemError(f"cannot fetch {masked(url)}: {error}") from error
    finally:
        watchdog.cancel()
        connection.close()


def _too_slow(url: str) -> ItemError:
    seconds = settings.SHPALTA_FETCH_DEADLINE_SECONDS
    return ItemError(f"{masked(url)}: not fetched within {seconds:g} s")


def _cut(connection) -> None:
    """The deadline: a read blocked on a dripping server returns at once."""
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def checked_addresses(host: str, port: int | None, url: str) -> list[str]:
    """The addresses the host resolves to, refused when any of them is not public (unless
    allowed): a name with one public and one private answer must not be a way in."""
    try:
        infos = socket.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ItemError(f"cannot fetch {masked(url)}: {error}") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if settings.SHPALTA_FETCH_ALLOW_PRIVATE or host in settings.SHPALTA_FETCH_ALLOW_HOSTS:
        return addresses
    for address in addresses:
        if not is_public(address):
            raise ItemError(
                f"refused {masked(url)}: {host} is a private, loopback or link-local address "
                f"({address}); SHPALTA_FETCH_ALLOW_HOSTS or _ALLOW_PRIVATE can allow it"
            )
    return addresses


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if getattr(ip, "ipv4_mapped", None) is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def _connection(parts, addresses: list[str], deadline: float):
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    timeout = max(min(deadline - time.monotonic(), 30), 0.001)
    connection = kind(parts.hostname, parts.port, timeout=timeout)

    def pinned(target, timeout=None, source_address=None):
        """Only the addresses checked above, in their order."""
        error = None
        for address in addresses:
            try:
                return socket.create_connection((address, target[1]), timeout, source_address)
            except OSError as failed:
                error = failed
        raise error

    connection._create_connection = pinned  # TLS still checks the host's own name
    return connection


def _exchange(connection, parts, headers: dict, deadline: float, url: str) -> tuple[int, Answer]:
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    connection.request("GET", path, headers=headers | {"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    answer = Answer(response.status, url=url)
    answer.headers = {k.lower(): v for k, v in response.getheaders()}
    if response.status in REDIRECTS or response.status == 304:
        return response.status, answer
    if response.status >= 400:
        raise ItemError(f"HTTP {response.status} {response.reason}")
    body = read_capped(response, deadline, url)
    if "gzip" in answer.headers.get("content-encoding", ""):
        body = gunzip(body, settings.SHPALTA_FETCH_MAX_BYTES, masked(url))
    answer.body = body
    return response.status, answer


def read_capped(response, deadline: float, url: str) -> bytes:
    """The body, chunk by chunk as it arrives, refused past the cap or the deadline."""
    cap = settings.SHPALTA_FETCH_MAX_BYTES
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_big(masked(url), cap)
    chunks, size = [], 0
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > cap:
            raise too_big(masked(url), cap)
        if time.monotonic() >= deadline:
            raise _too_slow(url)
        chunks.append(chunk)
    if time.monotonic() >= deadline:
        raise _too_slow(url)
    return b"".join(chunks)
