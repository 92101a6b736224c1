"""Debian's nginx with the shipped deploy/nginx configuration, in front of a live test server.

The shipped files are used as they are, with only their paths moved into a temporary prefix
(the cache directory, /var/lib/shpalta) and the upstream pointed at the test server.
"""

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "nginx"


def microcache_seconds() -> int:
    """The lifetime the shipped configuration gives a page (its proxy_cache_valid line)."""
    text = (DEPLOY / "shpalta-locations.conf").read_text()
    return int(re.search(r"proxy_cache_valid 200[^;]* (\d+)s;", text).group(1))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        if os.environ.get("SHPALTA_REQUIRE_SERVICES"):
            pytest.fail("nginx is missing: apt-get install nginx (.ci/run installs it)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return found


def configure(prefix: Path, upstream: str, port: int) -> Path:
    (prefix / "cache").mkdir()
    (prefix / "tmp").mkdir()
    (prefix / "lib" / "static").mkdir(parents=True)
    micro = (DEPLOY / "shpalta-microcache.conf").read_text()
    micro = micro.replace("/var/cache/nginx/shpalta", str(prefix / "cache"))
    locations = (DEPLOY / "shpalta-locations.conf").read_text()
    locations = locations.replace("/var/lib/shpalta", str(prefix / "lib"))
    (prefix / "microcache.conf").write_text(micro)
    (prefix / "locations.conf").write_text(locations)
    temp = " ".join(
        f"{kind}_temp_path {prefix / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = prefix / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'};\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "  include /etc/nginx/mime.types;\n"
        "  access_log off;\n"
        f"  {temp}\n"
        f"  include {prefix / 'microcache.conf'};\n"
        f"  upstream shpalta_app {{ server {upstream}; keepalive 8; }}\n"
        f"  server {{ listen 127.0.0.1:{port}; include {prefix / 'locations.conf'}; }}\n"
        "}\n"
    )
    return conf


@contextmanager
def nginx_in_front(upstream: str, prefix: Path):
    """nginx on a free port proxying to `upstream` (host:port); yields its base URL."""
    binary, port = nginx_binary(), free_port()
    conf = configure(prefix, upstream, port)
    checked = subprocess.run(
        [binary, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"nginx did not start: {server.stderr.read().decode()}")
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=15)


class Answer:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def cache(self) -> str:
        """nginx's verdict: HIT, MISS, BYPASS, EXPIRED, STALE, UPDATING, or '' (no cache)."""
        return self.headers.get("X-Microcache", "")

    @property
    def text(self) -> str:
        return self.body.decode()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def fetch(url: str, method: str = "GET", data: bytes | None = None, **headers) -> Answer:
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with OPENER.open(request, timeout=20) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())
