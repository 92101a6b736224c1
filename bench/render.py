"""Uncached render cost of the article and home pages, in this process, on 100,000 articles.

The whole request goes through Django's handler and every middleware (DEBUG off, the page
cache off, so each request renders), as gunicorn would run it, without the network: what is
left is the cost of the view, its queries and the templates. Articles are picked at random
over the whole archive (the long tail a newsroom's search and social links bring), the home
page is asked for again and again. Rows: the first views after the site changed (every
fragment cache of cards and blocks empty: the site version was just bumped; the stories' kept
pages dropped, so each renders whole and is kept: news/stored.py), the steady state (fragments
cached, the kept page's holes filled) and, for articles, stories not yet shown in this version
beside the blocks that were (the long tail, most of a newsroom's uncached views): with their
pages kept (seen once since the last deploy) and with none kept (their first view ever, or
the first since a deploy).

The archive is generated once into --data (default ../benchdata/pages100k beside the checkout,
outside the repository; or SHPALTA_BENCH_DATA) and reused by later runs; --profile prints the
top of a cProfile of each page.

    .venv/bin/python bench/render.py [--data DIR] [--articles 100000] [--requests 300]

Prints a table (p50/p90 ms of wall time, p50 of this process's CPU time, which the other
programs on a busy machine disturb less, and queries per request) and writes
bench/results/render.json.
"""

import argparse
import cProfile
import json
import os
import platform
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

from _support import SECRET_KEY, grow_demo_archive, setup_django

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "render.json"
DEFAULT_DATA = str(ROOT.parent / "benchdata" / "pages100k")  # beside the checkout, not in it


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.environ.get("SHPALTA_BENCH_DATA", DEFAULT_DATA))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="measured requests per row")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each page")
    parser.add_argument(
        "--hit-only", action="store_true", help="measure only the page-cache hit path"
    )
    return parser.parse_args()


def prepare(data_dir: str, total: int) -> None:
    """Migrate (new migrations included), then grow the archive only up to `total`."""
    from django.core.management import call_command

    from shpalta.news.models import Article

    call_command("migrate", verbosity=0, interactive=False)
    if not Article.objects.exists():
        call_command("collectstatic", verbosity=0, interactive=False)
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if Article.objects.count() < total:
        print(f"generating the archive in {data_dir} (once) …", flush=True)
        grow_demo_archive(total, progress=True)


def timed(client, paths: list[str]) -> tuple[list[float], list[int]]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, cpu, queries = [], [], []
    for path in paths:
        # The connection keeps the last 9,000 queries only: once full, a capture counts none.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.append(len(captured.captured_queries))
    return times, cpu, queries


def forget_kept(slugs: list[str]) -> None:
    """These stories' kept pages dropped, as after a deploy (news/stored.py)."""
    from shpalta.news.models import StoryPage

    StoryPage.objects.filter(article__slug__in=slugs).delete()


def row(name: str, times: list[float], cpu: list[float], queries: list[int]) -> dict:
    cuts = statistics.quantiles(times, n=10)
    return {
        "target": name,
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p90_ms": round(cuts[8], 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "queries": round(statistics.mean(queries), 1),
    }


def changed() -> None:
    """What a publish does to the site: a new version (the caching app's only writer is the
    changes app; a bench may bump directly)."""
    from shpalta.caching import versioning

    versioning.bump()


def measure_hit_path(path: str, n: int) -> dict:
    """A page-cache hit through Django's WSGI handler and every middleware, as gunicorn calls
    it, and the parts of it that are the page cache's own (median µs of n calls each)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory, override_settings

    from shpalta.caching import versioning
    from shpalta.caching.middleware import cache_key

    settings.SHPALTA_PAGE_CACHE = True
    from django.contrib.sessions.backends.db import SessionStore

    handler, environ = WSGIHandler(), RequestFactory().get(path).environ
    # The same hit without the early answer: PageCacheMiddleware behind every middleware, as
    # every hit was served before PageCacheEdgeMiddleware.
    edge = "shpalta.caching.middleware.PageCacheEdgeMiddleware"
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != edge]):
        handler_without_edge = WSGIHandler()
    # An anonymous reader who has a session: the whole stack serves the hit (sessions, CSRF,
    # authentication, PageCacheMiddleware), as every hit was served before the early answer.
    session = SessionStore()
    session["seen"] = 1
    session.save()
    with_session = {
        **environ,
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
    }

    def serve(env, handler=handler):
        statuses = []
        body = handler(dict(env), lambda status, headers, *rest: statuses.append(headers))
        b"".join(body)
        body.close()
        return dict(statuses[0])

    def hit():
        return serve(environ)

    def full_stack_hit():
        return serve(with_session)

    def hit_without_edge():
        return serve(environ, handler_without_edge)

    request = RequestFactory().get(path)
    key = cache_key(request, versioning.current().token)
    parts = {
        "hit, no early answer (as before)": hit_without_edge,
        "hit answered early (no cookie)": hit,
        "hit, whole stack (session cookie)": full_stack_hit,
        "site version read (1 query)": versioning.current,
        "cache key": lambda: cache_key(request, "token"),
        "cache get (unpickle the page)": lambda: cache.get(key),
    }
    hit()
    assert hit() == hit_without_edge()  # the same headers either way
    assert hit()["X-Page-Cache"] == full_stack_hit()["X-Page-Cache"] == "hit"
    result = {}
    for name, call in parts.items():
        samples = []
        for _ in range(n):
            started = time.perf_counter()
            call()
            samples.append((time.perf_counter() - started) * 1e6)
        result[name] = round(statistics.median(samples), 1)
    settings.SHPALTA_PAGE_CACHE = False
    return result


BARE_FLOOR = """
import os, statistics, sys, time
sys.path.insert(0, sys.argv[1])
os.environ["DJANGO_SETTINGS_MODULE"] = "_bare_django"
import _bare_django
from django.test import RequestFactory
environ, handler = RequestFactory().get("/novyny/x/").environ, _bare_django.application
def hit():
    body = handler(dict(environ), lambda *args: None)
    b"".join(body)
    body.close()
for _ in range(50):
    hit()
samples = []
for _ in range(int(sys.argv[2])):
    started = time.perf_counter()
    hit()
    samples.append((time.perf_counter() - started) * 1e6)
print(round(statistics.median(samples), 1))
"""


def bare_django_floor(html: bytes, n: int) -> float:
    """The same HTML from bench/_bare_django.py's one view through startproject's middleware,
    in-process in a child Python (one process holds one Django settings): median µs."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".html") as page:
        page.write(html)
        page.flush()
        out = subprocess.run(
            [sys.executable, "-c", BARE_FLOOR, str(ROOT / "bench"), str(n)],
            env=os.environ | {"BARE_PAGE": page.name},
            capture_output=True,
            text=True,
            check=True,
        )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    args = parse()
    Path(args.data).mkdir(parents=True, exist_ok=True)
    setup_django(
        args.data,
        migrate=False,
        SHPALTA_SECRET_KEY=SECRET_KEY,
        SHPALTA_DEBUG="0",
        SHPALTA_PAGE_CACHE="0",
        SHPALTA_LOG_LEVEL="WARNING",
    )
    prepare(args.data, args.articles)
    from django.test import Client

    from shpalta.news.models import Article

    slugs = list(Article.objects.published().values_list("slug", flat=True))
    rng = random.Random(18)
    client = Client()
    client.get("/")  # imports, template loading, connection: not measured
    client.get(f"/novyny/{slugs[0]}/")
    n = args.requests
    rows = []
    if args.hit_only:
        hit_path = measure_hit_path(f"/novyny/{slugs[0]}/", n * 10)
        hit_path["bare Django, same HTML (floor)"] = bare_django_floor(
            client.get(f"/novyny/{slugs[0]}/").content, n * 10
        )
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print("page-cache hit, in-process (median µs):")
        for name, micros in hit_path.items():
            print(f"  {name:<36}{micros:>8.1f}")
        return

    sample = rng.sample(slugs, 3 * n)
    cold = [f"/novyny/{slug}/" for slug in sample[:n]]
    # Every story page renders whole the first time (its page is then kept: news/stored.py).
    forget_kept(sample)
    changed()
    rows.append(row("article, random, after a change", *timed(client, cold)))
    rows.append(row(f"article, random of {len(slugs):,}", *timed(client, cold)))
    # The long tail: stories not yet shown in this version, beside cards and blocks that are
    # (the row above shows the same stories again, their own fragments, «Більше подібного»,
    # already stored): with their pages kept (seen once since the last deploy), and not.
    kept = [f"/novyny/{slug}/" for slug in sample[n : 2 * n]]
    timed(client, kept)
    changed()
    timed(client, cold[:10])  # the version's blocks, as the first views after it would
    rows.append(row("article, random, first view, page kept", *timed(client, kept)))
    fresh = [f"/novyny/{slug}/" for slug in sample[2 * n :]]
    rows.append(row("article, random, first view, none kept", *timed(client, fresh)))
    firsts = [timed(client, ["/"]) for _ in range(20) if changed() is None]
    rows.append(
        row(
            "home, first view after a change",
            *([x for f in firsts for x in f[i]] for i in range(3)),
        )
    )
    rows.append(row("home", *timed(client, ["/"] * n)))
    hit_path = measure_hit_path(cold[0], n)
    load = os.getloadavg()
    if args.profile:
        for name, paths in (("article", cold[:100]), ("home", ["/"] * 100)):
            profile = cProfile.Profile()
            profile.runcall(timed, client, paths)
            print(f"\n--- {name}: cProfile of 100 requests, by own time ---")
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    report = {
        "benchmark": "render",
        "articles": len(slugs),
        "database": "sqlite (WAL)",
        "how": "django.test.Client in-process, DEBUG off, page cache off",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average": load,
        "rows": rows,
        "hit_path_us": hit_path,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"\n{len(slugs):,} published articles, in-process, page cache off")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    head = f"{'target':<36}{'requests':>9}{'p50 ms':>8}{'p90 ms':>8}{'CPU p50':>8}{'queries':>9}"
    print(head + "\n" + "-" * len(head))
    for r in rows:
        print(
            f"{r['target']:<36}{r['requests']:>9}{r['p50_ms']:>8.2f}{r['p90_ms']:>8.2f}"
            f"{r['cpu_p50_ms']:>8.2f}"
            f"{r['queries']:>9.1f}"
        )
    print("\npage-cache hit, in-process (median µs):")
    for name, micros in hit_path.items():
        print(f"  {name:<36}{micros:>8.1f}")
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
