"""`shpalta serve`: the production server (gunicorn), static files collected, JSON logs."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from shpalta.ops.server import (
    default_bind,
    default_workers,
    exec_gunicorn,
    gunicorn_options,
    is_local_bind,
)
from shpalta.ops.static import ensure_static


class Command(BaseCommand):
    help = "Serve the site with gunicorn (production): shpalta serve [--bind HOST:PORT]."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=default_bind(),
            help="HOST:PORT or unix:PATH to listen on (default: 127.0.0.1:$PORT or :8000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("SHPALTA_WEB_WORKERS") or default_workers()),
            help="Worker processes (default: $SHPALTA_WEB_WORKERS or 2 x CPUs + 1).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            # One (sync workers, see ops.server.worker_class): a page is Python work, and a
            # worker's threads take turns on one core (the GIL). Measured on 100,000 stories
            # (bench/load.py's mix, 2 workers): 4 threads served fewer requests than 1 and
            # doubled the p99. Processes (--workers) use the cores; threads pay off where the
            # database is far away.
            default=int(os.environ.get("SHPALTA_WEB_THREADS") or 1),
            help="Threads per worker (default: $SHPALTA_WEB_THREADS or 1).",
        )
        parser.add_argument("--timeout", type=int, default=30, help="Request timeout, seconds.")
        parser.add_argument(
            "--no-access-log",
            action="store_false",
            dest="access_log",
            help="Do not log each request (when the proxy in front logs them already).",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_false",
            dest="collectstatic",
            help="Do not collect static files first (they were collected at deploy time).",
        )

    def handle(self, *, bind, workers, threads, timeout, access_log, collectstatic, **options):
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be 1 or more.")
        if settings.DEBUG and not is_local_bind(bind):
            raise CommandError(
                f"SHPALTA_DEBUG is on and --bind {bind} listens beyond this machine: debug pages "
                "show settings and code to whoever reaches it. Turn SHPALTA_DEBUG off, or bind "
                "127.0.0.1."
            )
        # JSON lines unless told otherwise; the workers read this when they load the settings.
        os.environ.setdefault("SHPALTA_LOG_FORMAT", "json")
        json_logs = os.environ["SHPALTA_LOG_FORMAT"] == "json"
        self.check(include_deployment_checks=settings.HTTPS)
        if collectstatic:
            ensure_static(log=self.stdout.write)
        connections.close_all()
        opts = gunicorn_options(
            bind=bind,
            workers=workers,
            threads=threads,
            timeout=timeout,
            access_log=access_log,
            json_logs=json_logs,
        )
        self.stdout.flush()
        exec_gunicorn(opts)
