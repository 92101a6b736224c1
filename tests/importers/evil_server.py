"""A small hostile web server on loopback for the importers' fetch tests.

Each path is one attack a feed address chosen from outside can make: a body that is a local
path, a body dripped one byte at a time, an endless body, redirects to `ftp://` and to
127.0.0.1, and a gzip bomb.
"""

import functools
import gzip
import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{channel}</title><link>https://evil.example/</link>
<item><guid>urn:evil:{guid}</guid><link>https://evil.example/{guid}</link>
<title>{title}</title><description>Текст новини зі стрічки.</description></item>
</channel></rss>
"""


def rss(title: str, guid: str = "1", channel: str = "Стрічка") -> bytes:
    return RSS.format(title=title, guid=guid, channel=channel).encode()


@functools.cache
def gzip_bomb(expanded: int = 64 << 20) -> bytes:
    """`expanded` zero bytes, gzipped: about a thousandth of that on the wire or disk."""
    block, buffer = bytes(1 << 20), io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as packed:
        for _ in range(expanded // len(block)):
            packed.write(block)
    return buffer.getvalue()


class Evil(BaseHTTPRequestHandler):
    """Routes by path; `local_feed` is the path a body may name, set by the test."""

    local_feed = "/etc/passwd"
    drip_seconds = 0.5
    hits: list = []

    def do_GET(self):  # noqa: N802 - the http.server API
        Evil.hits.append(self.path)
        route = self.path.split("?", 1)[0].strip("/").replace("-", "_")
        getattr(self, f"send_{route}", self.send_missing)()

    def send_body(self, body: bytes, kind: str = "application/rss+xml", **headers) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def send_feed(self):
        self.send_body(rss("Чесна новина"))

    def send_passwd(self):
        self.send_body(b"/etc/passwd")

    def send_local_feed(self):
        self.send_body(self.local_feed.encode())

    def send_dev_zero(self):
        self.send_body(b"/dev/zero")

    def send_drip(self):
        """A feed one byte at a time: each read is quick, the whole never ends in time."""
        body = rss("Крапля")
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for byte in body:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(self.drip_seconds)

    def send_drip_headers(self):
        """Headers one line at a time, slower than any deadline."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for n in range(1000):
            self.wfile.write(f"X-Drip-{n}: 1\r\n".encode())
            self.wfile.flush()
            time.sleep(self.drip_seconds)

    def send_endless(self):
        """No length, no end: bytes until the client stops reading."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        chunk = b"<rss>" + b" " * 65536
        try:
            while True:
                self.wfile.write(chunk)
        except OSError:
            return

    def send_big_declared(self):
        self.send_response(200)
        self.send_header("Content-Length", str(10**12))
        self.end_headers()

    def send_gzip_bomb(self):
        self.send_body(gzip_bomb(), Content_Encoding="gzip")

    def send_gzip_feed(self):
        self.send_body(gzip.compress(rss("Стиснена новина")), Content_Encoding="gzip")

    def send_redirect_ftp(self):
        self.redirect("ftp://evil.example/feed.xml")

    def send_redirect_file(self):
        self.redirect("file:///etc/passwd")

    def send_redirect_loopback(self):
        self.redirect(f"http://127.0.0.1:{self.server.server_port}/feed")

    def send_redirect_metadata(self):
        self.redirect("http://169.254.169.254/latest/meta-data/")

    def send_redirect_loop(self):
        self.redirect("/redirect-loop")

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_missing(self):
        self.send_error(404, "Not Found")

    def log_message(self, *args):
        pass


class EvilServer:
    """The server in a thread; `url(path)` by 127.0.0.1, `named_url(path)` by `localhost`."""

    def __init__(self):
        Evil.hits = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Evil)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def named_url(self, path: str) -> str:
        return f"http://localhost:{self.port}/{path}"

    @property
    def hits(self) -> list[str]:
        return Evil.hits
