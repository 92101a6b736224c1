"""View beacons under load: accepted beacons/s, latency and database writes per 1,000 views.

For each counting path a throwaway site (SQLite in a temporary SHPALTA_DATA_DIR, DEBUG off,
static files collected) gets ARTICLES published articles, then gunicorn serves `shpalta.wsgi`
the way `shpalta serve` does (gthread workers, preloaded app) and wrk sends:

1. the baseline: GET of a static file (the beacon script itself, via whitenoise), same server;
2. beacons: POST /api/views from ever new readers (own X-Forwarded-For address and user agent;
   the server trusts one proxy) to articles picked with a popularity skew (article
   ⌊N·u³⌋); every DUP-th beacon repeats the previous one, as a reload does, and must not count.

Paths (all with the site's database on SQLite):
  sqlite-journal  the embedded default: each worker appends accepted views to its on-disk
                  journal; a thread applies it every FLUSH seconds, the worker at its exit;
  sqlite-at-once  SHPALTA_VIEWS_FLUSH_SECONDS=0: every beacon written before it is
                  answered, concurrent ones sharing a transaction (group commit);
  redis           atomic Redis increments, moved to the database every FLUSH seconds by the
                  task the beacons enqueue.
After the server has stopped, `popular flush` picks up whatever is left (nothing should be
for the journal: the workers flush at exit), its writes counted too.

Database writes are counted inside the server's workers by a Django execute wrapper (gunicorn
hooks in the generated config): write transactions (BEGIN) and row writes (each INSERT,
UPDATE or DELETE statement; each row of an executemany).
Counted views are read from the database afterwards.

    .venv/bin/python bench/views.py                 # ~2.5 min: 15 s per path
    .venv/bin/python bench/views.py --duration 60   # longer runs

Prints a table and writes bench/results/views.json.
"""

import argparse
import json
import os
import platform
import re
import sqlite3
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from _support import (
    AGENT,
    BEACONS_REDIS_URL,
    BIN,
    WRK_BEACONS,
    WRK_STATIC,
    WRK_TALLY,
    beacon_options,
    ensure_wrk,
    free_port,
    http,
    reachable,
    run,
    run_wrk,
    serving,
    site_env,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "views.json"

GUNICORN_CONFIG = """
import json, os, threading

bind = {bind!r}
workers = {workers}
worker_class = "gthread"
threads = {threads}
preload_app = True
keepalive = 5
timeout = 30
graceful_timeout = 30
accesslog = None
errorlog = "-"
control_socket_disable = True

_stats = {{"transactions": 0, "row_writes": 0, "statements": 0}}
_lock = threading.Lock()
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _count(execute, sql, params, many, context):
    head = sql.lstrip()[:8].upper()
    with _lock:
        _stats["statements"] += 1
        if head.startswith("BEGIN"):
            _stats["transactions"] += 1
        elif head.startswith(WRITES):
            _stats["row_writes"] += len(params) if many else 1
    return execute(sql, params, many, context)


def _install(sender, connection, **kwargs):
    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)


def post_fork(server, worker):
    import atexit

    from django.db.backends.signals import connection_created

    connection_created.connect(_install, weak=False)
    # At interpreter exit, after the journal's own exit flush (registered later, run first).
    atexit.register(_dump)


def _dump():
    path = os.path.join({stats_dir!r}, f"worker-{{os.getpid()}}.json")
    with open(path, "w") as out:
        json.dump(_stats, out)
"""


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds of beacons per path")
    parser.add_argument("--static-duration", type=int, default=8)
    parser.add_argument("--articles", type=int, default=200)
    beacon_options(parser)
    parser.add_argument("--paths", default="sqlite-journal,sqlite-at-once,redis")
    parser.add_argument("--create-articles", help=argparse.SUPPRESS)
    parser.add_argument("--final-flush", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- helpers run inside the site's environment (as subprocesses) -------------------------


def create_articles(count: int, out: str) -> None:
    import django

    django.setup()
    from shpalta.news import factories

    ids = [factories.article(f"Навантажувальна стаття {n}").pk for n in range(count)]
    Path(out).write_text("\n".join(map(str, ids)) + "\n")


def final_flush() -> None:
    """`popular flush`, counting its database writes the way the server's workers do."""
    import django

    django.setup()
    from django.db import connection

    from shpalta.popular import counters

    stats = {"transactions": 0, "row_writes": 0}

    def count(execute, sql, params, many, context):
        head = sql.lstrip()[:8].upper()
        if head.startswith("BEGIN"):
            stats["transactions"] += 1
        elif head.startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
            stats["row_writes"] += len(params) if many else 1
        return execute(sql, params, many, context)

    counters._database_counter.background = False
    with connection.execute_wrapper(count):
        summary = counters.flush()
    print(json.dumps(stats | {"flushed_views": summary.views}))


# --- the bench ----------------------------------------------------------------------------


def beacon_env(data_dir: Path, path: str, flush: int) -> dict:
    env = site_env(
        data_dir,
        SHPALTA_DEBUG="0",
        SHPALTA_TRUSTED_PROXIES="1",
        SHPALTA_TASKS="immediate",
        SHPALTA_VIEWS_FLUSH_SECONDS="0" if path == "sqlite-at-once" else str(flush),
    )
    if path == "redis":
        env["SHPALTA_REDIS_URL"] = BEACONS_REDIS_URL
    return env


@contextmanager
def gunicorn(env: dict, data_dir: Path, args):
    port = free_port()
    stats_dir = data_dir / "stats"
    stats_dir.mkdir()
    config = data_dir / "gunicorn_conf.py"
    config.write_text(
        GUNICORN_CONFIG.format(
            bind=f"127.0.0.1:{port}",
            workers=args.workers,
            threads=args.threads,
            stats_dir=str(stats_dir),
        )
    )
    log = data_dir / "gunicorn.log"
    command = [str(BIN / "gunicorn"), "-c", str(config), "shpalta.wsgi"]
    with serving(command, env, port, log) as base:
        yield base, stats_dir, log


def wrk(binary: str, base: str, script: Path, args, duration: int, path: str, *extra) -> dict:
    return run_wrk(
        binary,
        base + path,
        script,
        *extra,
        threads=args.wrk_threads,
        connections=args.connections,
        duration=duration,
    )


def beacon_script_url(base: str, article_id: str) -> str:
    """The article page's own beacon.js URL (hashed by the manifest storage)."""
    status, html = http(base + "/api/articles/" + article_id)
    assert status == 200, status
    url = json.loads(html)["url"]
    status, page = http(base + url, **{"User-Agent": AGENT})
    assert status == 200, status
    return re.search(rb'src="(/static/popular/beacon[^"]*\.js)"', page).group(1).decode()


def counted_views(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "shpalta.sqlite3") as db:
        return db.execute("SELECT COALESCE(SUM(views), 0) FROM popular_hourlyviews").fetchone()[0]


def measure(path: str, binary: str, args) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"shpalta-views-{path}-") as tmp:
        data_dir = Path(tmp)
        env = beacon_env(data_dir, path, args.flush)
        if path == "redis":
            import redis

            redis.Redis.from_url(BEACONS_REDIS_URL).flushdb()
        python = str(BIN / "python")
        run(env, str(BIN / "shpalta"), "migrate", "--noinput", "-v0")
        run(env, str(BIN / "shpalta"), "collectstatic", "--noinput", "-v0")
        ids_file = data_dir / "ids.txt"
        run(
            env, python, __file__, "--create-articles", str(args.articles), "--paths", str(ids_file)
        )
        first_id = ids_file.read_text().split()[0]
        static_lua, beacon_lua = data_dir / "static.lua", data_dir / "beacons.lua"
        static_lua.write_text(WRK_STATIC)
        beacon_lua.write_text(
            WRK_BEACONS % {"agent": AGENT, "path": "/api/views", "field": "article"} + WRK_TALLY
        )
        with gunicorn(env, data_dir, args) as (base, stats_dir, log):
            script = beacon_script_url(base, first_id)
            wrk(binary, base, static_lua, args, 2, script)  # warm-up
            static = wrk(binary, base, static_lua, args, args.static_duration, script)
            # Warm-up beacons come from one reader only (thread id 99 is never used by wrk).
            warm = {"Content-Type": "application/json", "User-Agent": AGENT + " warmup"}
            for _ in range(20):
                http(base + "/api/views", f'{{"article": {first_id}}}'.encode(), **warm)
            beacons = wrk(
                binary,
                base,
                beacon_lua,
                args,
                args.duration,
                "/api/views",
                str(ids_file),
                str(args.dup),
            )
        workers = [json.loads(p.read_text()) for p in stats_dir.glob("worker-*.json")]
        if len(workers) != args.workers:  # written at exit: proves the workers exited cleanly
            sys.exit(f"expected {args.workers} worker stats, got {len(workers)}; log: {log}")
        writes = {k: sum(w[k] for w in workers) for k in ("transactions", "row_writes")}
        flush = json.loads(run(env, python, __file__, "--final-flush").strip().splitlines()[-1])
        if path == "redis":
            redis.Redis.from_url(BEACONS_REDIS_URL).flushdb()
        views = counted_views(data_dir)
    accepted = int(beacons["statuses"].get("204", 0))
    transactions = writes["transactions"] + flush["transactions"]
    row_writes = writes["row_writes"] + flush["row_writes"]
    per_k = 1000 / views if views else 0
    return {
        "path": path,
        "static": static,
        "beacons": beacons,
        "accepted": accepted,
        "accepted_per_s": accepted / (beacons["duration_us"] / 1e6),
        "counted_views": views,
        "warmup_views": 1,
        # wrk's tally misses the answers still in flight when it stops, hence "about".
        "about_expected_views": accepted - (accepted // args.dup if args.dup else 0) + 1,
        "write_transactions": transactions,
        "row_writes": row_writes,
        "final_flush": flush,
        "transactions_per_1k_views": transactions * per_k,
        "row_writes_per_1k_views": row_writes * per_k,
        "errors": beacons["socket_errors"] + beacons["http_errors"] + static["socket_errors"],
    }


def table(rows: list[dict]) -> str:
    head = (
        "| path | static req/s | static p99 ms | beacons accepted/s | vs static | p50 ms | p99 ms "
        "| counted views | left for final flush | write txns / 1k views | row writes / 1k views "
        "| errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for r in rows:
        s, b = r["static"], r["beacons"]
        lines.append(
            f"| {r['path']} | {s['rps']:,.0f} | {s['p99_us'] / 1000:.1f} "
            f"| {r['accepted_per_s']:,.0f} "
            f"| {r['accepted_per_s'] / s['rps']:.2f} | {b['p50_us'] / 1000:.1f} "
            f"| {b['p99_us'] / 1000:.1f} | {r['counted_views']:,} "
            f"| {r['final_flush']['flushed_views']:,} "
            f"| {r['transactions_per_1k_views']:.1f} | {r['row_writes_per_1k_views']:.1f} "
            f"| {r['errors']} |"
        )
    return "\n".join(lines)


def main() -> None:
    args = parse()
    if args.create_articles:
        create_articles(int(args.create_articles), args.paths)
        return
    if args.final_flush:
        final_flush()
        return
    binary = ensure_wrk()
    rows, skipped = [], []
    for path in args.paths.split(","):
        if path == "redis" and not reachable(BEACONS_REDIS_URL):
            skipped.append(f"redis: {BEACONS_REDIS_URL} not reachable")
            continue
        print(f"[{path}] measuring …", flush=True)
        row = measure(path, binary, args)
        rows.append(row)
        print(
            f"[{path}] {row['accepted_per_s']:,.0f} beacons/s accepted, "
            f"p99 {row['beacons']['p99_us'] / 1000:.1f} ms, {row['counted_views']:,} views, "
            f"statuses {row['beacons']['statuses']}",
            flush=True,
        )
    print()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} (1 / 5 min)")
    print(
        f"{args.workers} gunicorn gthread workers × {args.threads} threads, wrk "
        f"{args.connections} connections, {args.duration} s per path, every {args.dup}th "
        f"beacon a reload, {args.articles} articles, journal/Redis flush every {args.flush} s"
    )
    print(table(rows))
    for row in rows:
        verdict = "exact" if exact(row, args) else "NOT EXACT"
        print(
            f"{row['path']}: {row['counted_views']:,} counted, about "
            f"{row['about_expected_views']:,} distinct views sent ({verdict})"
        )
    for note in skipped:
        print(f"skipped {note}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "load_average_1_5_15": os.getloadavg(),
                },
                "settings": {
                    k: v for k, v in vars(args).items() if not k.startswith(("create", "final"))
                },
                "rows": rows,
                "skipped": skipped,
            },
            indent=2,
        )
    )
    if any(r["errors"] for r in rows):
        sys.exit("errors during the run: see bench/results/views.json")
    inexact = [r["path"] for r in rows if not exact(r, args)]
    if inexact:
        sys.exit(f"counted views differ from the distinct views sent: {', '.join(inexact)}")


def exact(row: dict, args) -> bool:
    """Counted = distinct views sent, up to what wrk could not tally: answers still in flight
    when it stopped (at most one per connection) and its per-thread reload rounding."""
    expected = row["about_expected_views"]
    return expected - args.wrk_threads <= row["counted_views"] <= expected + args.connections


if __name__ == "__main__":
    main()
