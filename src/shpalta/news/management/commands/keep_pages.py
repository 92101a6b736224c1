"""`shpalta keep_pages`: render and keep the page of every published story that has none for
this release (news/stored.py), each through the whole request path as its first reader's
view would; after a deploy, the archive's first views are then not whole renders.

The static files are collected first when they are missing or stale, as `shpalta serve` does
at its start: their manifest is part of the release a page is kept for, so pages kept before
the server's own collection would all be rendered again at their next view."""

from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandError
from django.http.request import validate_host
from django.utils.translation import ngettext
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from shpalta.news import stored
from shpalta.ops.static import ensure_static


class Command(BaseCommand):
    help = (
        "Рендерить і зберігає сторінки опублікованих статей, яких ще немає для цієї версії "
        "коду (після оновлення сайту)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-progress", action="store_true", help="Без смуги поступу.")

    def handle(self, *args, quiet_progress=False, **options):
        if not settings.SHPALTA_STORED_PAGES:
            raise CommandError(
                "Збережені сторінки вимкнено (SHPALTA_STORED_PAGES=0): зберігати нічого."
            )
        environ = _environ()
        ensure_static(log=lambda line: self.stdout.write(line) if options["verbosity"] else None)
        handler = WSGIHandler()
        paths = [article.get_absolute_url() for article in stored.not_kept()]
        kept, failed = 0, []
        columns = [TextColumn("[bold]Сторінки"), BarColumn(), MofNCompleteColumn()]
        columns.append(TimeRemainingColumn())
        with Progress(*columns, disable=quiet_progress or options["verbosity"] == 0) as progress:
            task = progress.add_task("pages", total=len(paths))
            for path in paths:
                status = _get(handler, {**environ, "PATH_INFO": path})
                if status.startswith("200"):
                    kept += 1
                else:
                    failed.append(f"{path}: {status}")
                    if options["verbosity"] >= 2:
                        self.stderr.write(f"{path}: {status}")
                progress.advance(task)
        saved = ngettext("збережено %(n)s сторінку", "збережено %(n)s сторінок", kept)
        self.stdout.write(f"{saved % {'n': kept}}, не вдалося: {len(failed)}")
        if failed:
            raise CommandError(
                f"{len(failed)} сторінок не вдалося зберегти, перша: {failed[0]} "
                "(подробиці — з --verbosity 2)."
            )


def _get(handler, environ: dict) -> str:
    """One GET through the whole stack, as gunicorn would make it: its status line."""
    statuses = []
    body = handler(
        {**environ, "wsgi.input": BytesIO()},
        lambda status, headers, *rest: statuses.append(status),
    )
    b"".join(body)
    body.close()
    return statuses[0]


def _environ() -> dict:
    """A GET from the site's own address (SHPALTA_SITE_URL), or from the first host it
    answers to when that one is not among them."""
    site = urlsplit(settings.SITE_URL)
    host = site.netloc
    if not validate_host(site.hostname or "", settings.ALLOWED_HOSTS):
        named = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"]
        if not named and "*" not in settings.ALLOWED_HOSTS:
            raise CommandError("SHPALTA_ALLOWED_HOSTS не називає жодної адреси сайту.")
        host = named[0] if named else host
    scheme = site.scheme or "http"
    environ = {
        "REQUEST_METHOD": "GET",
        "SERVER_NAME": host.split(":")[0],
        "SERVER_PORT": site.port or ("443" if scheme == "https" else "80"),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": scheme,
        "wsgi.errors": BytesIO(),
    }
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy and scheme == "https":
        environ[proxy[0]] = proxy[1]
    return environ
