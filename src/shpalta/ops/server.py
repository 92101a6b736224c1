"""The production app server: gunicorn with Shpalta's WSGI app, sized from the CPU count.

`shpalta serve` prepares (checks, static files) and then replaces itself with a fresh gunicorn
master (same PID, so systemd's Type=notify and `reload` work). That master never imports the
site's code: each worker does, so `kill -HUP` (systemctl reload) starts workers running the
newly installed release while the old ones finish their requests.
"""

import gc
import ipaddress
import json
import os
import sys

from gunicorn import glogging

from .logs import JsonFormatter

OPTIONS_VARIABLE = "SHPALTA_GUNICORN_OPTIONS"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def default_bind() -> str:
    return f"{DEFAULT_HOST}:{os.environ.get('PORT') or DEFAULT_PORT}"


def is_local_bind(bind: str) -> bool:
    """Does gunicorn's --bind (HOST:PORT, [IPv6]:PORT, unix:PATH) listen on this machine only?
    A bare port or an empty host means every interface."""
    if bind.startswith("unix:"):
        return True
    host, colon, _port = bind.rpartition(":")
    host = host.strip("[]") if colon else ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def default_workers() -> int:
    """Gunicorn's rule of thumb: two per core plus one, so a core never idles on I/O."""
    return 2 * (os.cpu_count() or 1) + 1


def worker_class(threads: int) -> str:
    """One thread: gunicorn's sync workers, which take a connection only when idle, so the
    requests waiting for a worker wait in one queue, the listening socket's, and each goes to
    the first worker free. (A gthread worker takes connections while busy and keeps them, so a
    reader can queue behind a busy worker while another idles: bench/load.py's mix through
    nginx, 2 workers, had p99 146 ms that way against 89 ms with sync workers, PostgreSQL, the
    same 340 req/s.) nginx in front keeps the readers' connections alive and buffers slow ones.
    More threads: gthread, which lets a worker wait on a distant database for one request
    while serving another."""
    return "sync" if threads == 1 else "gthread"


def gunicorn_options(*, bind, workers, threads, timeout, access_log, json_logs) -> dict:
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": worker_class(threads),
        "threads": threads,
        "timeout": timeout,
        "graceful_timeout": timeout,
        "keepalive": 5,
        # Recycle workers now and then so a slow leak can never grow without bound.
        "max_requests": 20000,
        "max_requests_jitter": 2000,
        # Each worker imports the site itself: HUP then brings new code (see the docstring).
        "preload_app": False,
        "proc_name": "shpalta",
        "control_socket_disable": True,  # gunicorn 27 control socket: not used, and shared path
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "logger_class": "shpalta.ops.server.GunicornLogger"
        if json_logs
        else "gunicorn.glogging.Logger",
    }


def exec_gunicorn(options: dict) -> None:
    """Become the gunicorn master; its config module reads `options` back from the environment."""
    os.environ[OPTIONS_VARIABLE] = json.dumps(options)
    argv = [sys.executable, "-m", "gunicorn", "--config", "python:shpalta.ops.gunicorn_conf"]
    os.execv(sys.executable, [*argv, "shpalta.wsgi:application"])  # noqa: S606 - fixed argv


class GunicornLogger(glogging.Logger):
    """Gunicorn's error and access logs in the same JSON shape as the application's."""

    def setup(self, cfg):
        super().setup(cfg)
        formatter = JsonFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        duration_ms = request_time.total_seconds() * 1000
        self.access_log.info(
            "%s %s %s",
            environ.get("REQUEST_METHOD"),
            environ.get("RAW_URI"),
            status,
            extra={
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "query": environ.get("QUERY_STRING") or None,
                "status": int(status),
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(duration_ms, 2),
                "remote": environ.get("REMOTE_ADDR"),
                "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
                "user_agent": environ.get("HTTP_USER_AGENT"),
                "referer": environ.get("HTTP_REFERER"),
            },
        )


# --- the worker's heap and Python's garbage collector ----------------------------------------
#
# A worker holds a large heap that lives as long as it does (Django's apps and models, the URL
# resolvers, compiled templates, the dictionaries' caches). Python's full collection walks all
# of it: measured on the 100,000-story archive, pauses of 30-64 ms in the middle of requests,
# the slowest of all requests' tails. Frozen (gc.freeze), that heap is left out of every
# collection and the same full collections took at most 10 ms.

WARM_REQUESTS = 1000  # by then the templates, URL resolvers and the dictionaries are loaded


def freeze_heap() -> int:
    """Collect what is garbage now, then leave everything alive out of later collections;
    the number of objects frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


class HeapFreezer:
    """gunicorn's hooks: freeze once the app is loaded and once more after the worker's first
    WARM_REQUESTS requests have loaded what the pages need (each worker process counts its own)."""

    def __init__(self, warm_requests: int = WARM_REQUESTS):
        self.warm_requests = warm_requests
        self.served = 0
        self.warmed = False

    def post_worker_init(self, worker) -> None:
        freeze_heap()

    def post_request(self, worker, req, environ, resp) -> None:
        self.served += 1  # a worker's threads may race here: at worst it freezes twice
        if not self.warmed and self.served >= self.warm_requests:
            self.warmed = True
            freeze_heap()
