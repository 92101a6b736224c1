"""Ad impression beacons under load, beside the view beacons of the same server in the same run.

For each counting path a throwaway site (SQLite in a temporary SHPALTA_DATA_DIR, DEBUG off) gets
ARTICLES published articles and CREATIVES running banners (one photo-library image), then
gunicorn serves `shpalta.wsgi` as `shpalta serve` does (gthread workers, preloaded app) and wrk
sends, one phase after the other against the same server:

1. the baseline: view beacons, POST /api/views, as bench/views.py sends them;
2. impression beacons, POST /api/ads/impressions {"creative": id}.

Each beacon comes from a new reader (its own X-Forwarded-For address and user agent; the server
trusts one proxy) for an item picked with a skew (item ⌊N·u³⌋); every DUP-th beacon repeats the
previous one, as a reload does, and must not count. After the server stops, `popular flush`
moves what the view journal still holds; then both counts are read from the database and
compared with the distinct beacons sent.

Paths: `sqlite` (the embedded default: views through the on-disk journal, impression marks
and counts written in the beacon's transaction) and `redis` (SHPALTA_REDIS_URL: views counted
in Redis and flushed, impression marks and rate windows in Redis, counts written at once).

    .venv/bin/python bench/ads.py                  # ~1.5 min: 15 s per phase per path
    .venv/bin/python bench/ads.py --duration 30

Prints a table and writes bench/results/ads.json.
"""

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
from pathlib import Path

from _support import (
    AGENT,
    BEACONS_REDIS_URL,
    BIN,
    WRK_BEACONS,
    WRK_TALLY,
    beacon_options,
    ensure_wrk,
    reachable,
    run,
    site_env,
)
from views import gunicorn, wrk

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "ads.json"

PHASES = [("views", "/api/views", "article"), ("impressions", "/api/ads/impressions", "creative")]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per phase")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--creatives", type=int, default=12)
    beacon_options(parser)
    parser.add_argument("--paths", default="sqlite,redis")
    parser.add_argument("--prepare", nargs=3, help=argparse.SUPPRESS)
    return parser.parse_args()


def prepare(articles: int, creatives: int, out: str) -> None:
    """Inside the site's environment: the articles and the running banners, ids to files."""
    import io

    import django

    django.setup()
    from PIL import Image

    from shpalta.ads.models import Creative, Placement
    from shpalta.news import factories
    from shpalta.photos import library

    article_ids = [factories.article(f"Навантажувальна стаття {n}").pk for n in range(articles)]
    data = io.BytesIO()
    Image.new("RGB", (600, 500), "#1f4e79").save(data, "PNG")
    image = library.add(data.getvalue(), "bench.png", alt="Банер для вимірювання")[0]
    side = Placement.objects.get(key="sidebar")
    creative_ids = []
    for n in range(creatives):
        creative = Creative.objects.create(
            name=f"Банер {n}", image=image, alt="Банер", url="https://advertiser.example/"
        )
        creative.placements.set([side])
        creative_ids.append(creative.pk)
    Path(out, "views.txt").write_text("\n".join(map(str, article_ids)) + "\n")
    Path(out, "impressions.txt").write_text("\n".join(map(str, creative_ids)) + "\n")


def counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        views = db.execute("SELECT COALESCE(SUM(views), 0) FROM popular_hourlyviews").fetchone()
        shown = db.execute("SELECT COALESCE(SUM(impressions), 0) FROM ads_dailystats").fetchone()
    return {"views": views[0], "impressions": shown[0]}


def measure(path: str, binary: str, args) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"shpalta-ads-{path}-") as tmp:
        data_dir = Path(tmp)
        env = site_env(
            data_dir,
            SHPALTA_DEBUG="0",
            SHPALTA_TRUSTED_PROXIES="1",
            SHPALTA_TASKS="immediate",
            SHPALTA_VIEWS_FLUSH_SECONDS=str(args.flush),
        )
        if path == "redis":
            import redis

            env["SHPALTA_REDIS_URL"] = BEACONS_REDIS_URL
            redis.Redis.from_url(BEACONS_REDIS_URL).flushdb()
        shpalta, python = str(BIN / "shpalta"), str(BIN / "python")
        run(env, shpalta, "migrate", "--noinput", "-v0")
        run(env, shpalta, "collectstatic", "--noinput", "-v0")
        run(env, python, __file__, "--prepare", str(args.articles), str(args.creatives), tmp)
        results = {}
        with gunicorn(env, data_dir, args) as (base, _stats, _log):
            for phase, url, field in PHASES:
                script = data_dir / f"{phase}.lua"
                lua = WRK_BEACONS % {"agent": AGENT, "path": url, "field": field}
                script.write_text(lua + WRK_TALLY)
                ids = str(data_dir / f"{phase}.txt")
                print(f"[{path}] {phase}: {args.duration} s …", flush=True)
                results[phase] = wrk(
                    binary, base, script, args, args.duration, url, ids, str(args.dup)
                )
        run(env, shpalta, "popular", "flush")
        counted = counts(data_dir / "shpalta.sqlite3")
        if path == "redis":
            redis.Redis.from_url(BEACONS_REDIS_URL).flushdb()
    row = {"path": path}
    for phase, _url, _field in PHASES:
        result = results[phase]
        accepted = int(result["statuses"].get("204", 0))
        row[phase] = {
            "wrk": result,
            "accepted": accepted,
            "accepted_per_s": accepted / (result["duration_us"] / 1e6),
            "counted": counted[phase],
            # wrk's tally misses answers still in flight when it stops, hence "about".
            "about_distinct_sent": accepted - (accepted // args.dup if args.dup else 0),
            "errors": result["socket_errors"] + result["http_errors"],
        }
        row[phase]["exact"] = exact(row[phase], args)
    return row


def exact(phase: dict, args) -> bool:
    """Counted = distinct beacons sent, up to what wrk could not tally (answers in flight at
    its stop, at most one per connection, and its per-thread reload rounding)."""
    expected = phase["about_distinct_sent"]
    return expected - args.wrk_threads <= phase["counted"] <= expected + args.connections


def table(rows: list[dict]) -> str:
    lines = [
        "| path | beacon | accepted/s | vs views | p50 ms | p99 ms | accepted | distinct sent "
        "(about) | counted | exact | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for row in rows:
        baseline = row["views"]["accepted_per_s"]
        for phase, _url, _field in PHASES:
            p = row[phase]
            lines.append(
                f"| {row['path']} | {phase} | {p['accepted_per_s']:,.0f} "
                f"| {p['accepted_per_s'] / baseline:.2f} | {p['wrk']['p50_us'] / 1000:.1f} "
                f"| {p['wrk']['p99_us'] / 1000:.1f} | {p['accepted']:,} "
                f"| {p['about_distinct_sent']:,} | {p['counted']:,} "
                f"| {'yes' if p['exact'] else 'NO'} | {p['errors']} |"
            )
    return "\n".join(lines)


def main() -> None:
    args = parse()
    if args.prepare:
        prepare(int(args.prepare[0]), int(args.prepare[1]), args.prepare[2])
        return
    binary = ensure_wrk()
    rows, skipped = [], []
    for path in args.paths.split(","):
        if path == "redis" and not reachable(BEACONS_REDIS_URL):
            skipped.append(f"redis: {BEACONS_REDIS_URL} not reachable")
            continue
        rows.append(measure(path, binary, args))
    load = os.getloadavg()
    print(f"\nmachine: {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f}")
    print(
        f"{args.workers} gunicorn gthread workers × {args.threads} threads, wrk "
        f"{args.connections} connections, {args.duration} s per phase, every {args.dup}th "
        f"beacon a reload, {args.articles} articles, {args.creatives} creatives"
    )
    print(table(rows))
    for note in skipped:
        print(f"skipped {note}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "settings": {k: v for k, v in vars(args).items() if k != "prepare"},
                "rows": rows,
                "skipped": skipped,
            },
            indent=2,
        )
    )
    print(f"written {RESULTS}")
    bad = [f"{r['path']} {p}" for r in rows for p, _u, _f in PHASES if not r[p]["exact"]]
    if bad or any(r[p]["errors"] for r in rows for p, _u, _f in PHASES):
        sys.exit(f"not exact or errors: {', '.join(bad) or 'socket/http errors'}")


if __name__ == "__main__":
    main()
