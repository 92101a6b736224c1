"""A live story under its readers: 1,000 simulated readers poll its update feed every 15 s (about
67 requests/s) while an editor posts an entry every 10 s, on `shpalta serve`.

A temporary site (SQLite, the demo content with its live story) is served by `shpalta serve`
(gunicorn, page cache on). The load is open-loop, as real readers are: each reader asks on its
own 15-second clock however slow the answers, over a new connection, and moves its `after` to
the newest entry it received, as the page's script does. Two phases in the same run, against
the same server and at the same rate: a static file (the baseline), then the live feed with the
editor posting. Reported: p50/p99 latency, the share answered from the page cache
(`X-Page-Cache: hit`), errors (anything but a 200, or no answer).

    .venv/bin/python bench/live.py [--readers 1000] [--interval 15] [--duration 35]

Prints a table and writes bench/results/live.json. Readers send no If-None-Match, so every
answer says whether it came from the cache (304s are tested in tests/live).
"""

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from _support import free_port, serving, setup_django, site_env

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results" / "live.json"
WORKERS, THREADS = 2, 4
EDITOR_EVERY = 10.0
TIMEOUT = 10.0


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    hits: int = 0
    errors: int = 0
    items_seen: int = 0

    def row(self, name: str, seconds: float) -> dict:
        done = len(self.latencies) + self.errors
        ordered = sorted(self.latencies) or [0.0]
        return {
            "target": name,
            "requests": done,
            "rps": done / seconds,
            "p50_ms": statistics.median(ordered) * 1000,
            "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
            "from_cache": self.hits / max(1, len(self.latencies)),
            "errors": self.errors,
        }


async def get(port: int, path: str) -> tuple[int, dict, bytes]:
    """One GET on a new connection, as a reader's browser polling from far away does."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        writer.write(request.encode())
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


async def one_reader(port: int, path_for, interval: float, until: float, tally: Tally, rng):
    after = {"id": 0}
    await asyncio.sleep(rng.uniform(0, interval))  # readers opened the page at random moments
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            status, headers, body = await asyncio.wait_for(get(port, path_for(after)), TIMEOUT)
        except (OSError, TimeoutError):
            tally.errors += 1
        else:
            if status != 200:
                tally.errors += 1
            else:
                tally.latencies.append(time.monotonic() - started)
                tally.hits += headers.get("x-page-cache") == "hit"
                if body.startswith(b"{"):
                    items = json.loads(body)["items"]
                    tally.items_seen += len(items)
                    after["id"] = max([after["id"], *(item["id"] for item in items)])
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))


async def readers(port: int, path_for, count: int, interval: float, duration: float) -> Tally:
    tally, rng = Tally(), random.Random(15)
    until = time.monotonic() + duration
    await asyncio.gather(
        *(one_reader(port, path_for, interval, until, tally, rng) for _ in range(count))
    )
    return tally


def editor(data_dir: str, article_id: int, seconds: float) -> None:
    """`live.py --editor`: posts an entry every EDITOR_EVERY seconds through the service, as the
    admin's form does, in a process of its own (its text analysis must not stall the readers'
    clock in this one); prints the ids it posted."""
    setup_django(data_dir, migrate=False, quiet=("django_tasks", "pymorphy3"))
    from shpalta.live import service

    posted, until = [], time.monotonic() + seconds
    while time.sleep(EDITOR_EVERY) or time.monotonic() < until:
        entry = service.post(article_id, f"<p>Оновлення {len(posted) + 1} від редакції</p>")
        posted.append(entry.pk)
    print(json.dumps(posted))


def start_editor(data_dir: str, article_id: int, seconds: float) -> subprocess.Popen:
    command = [sys.executable, __file__, "--editor", data_dir, str(article_id), str(seconds)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def warm_up(port: int, paths: list[str]) -> None:
    """A few answers first, so no phase pays for a worker's first request."""

    async def each():
        for path in paths * 5:
            await get(port, path)

    asyncio.run(each())


def prepare(data_dir: str) -> tuple[int, str]:
    """Migrate, collect static files, load the demo; the live story's id and a static path."""
    setup_django(data_dir, quiet=("django_tasks", "pymorphy3"))
    from django.core.management import call_command
    from django.templatetags.static import static

    from shpalta.live.models import LiveCoverage

    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    return LiveCoverage.objects.get().article_id, static("shpalta/site.css")


def measure(args, port: int, data_dir: str, article_id: int, static_path: str) -> list[dict]:
    feed = f"/api/live/{article_id}?after="
    warm_up(port, [static_path, feed + "0"])
    rows = []
    baseline = asyncio.run(
        readers(port, lambda _: static_path, args.readers, args.interval, args.duration)
    )
    static = baseline.row("static file (whitenoise)", args.duration)
    rows.append(static | {"page_cache": False})  # whitenoise answers before the page cache
    editing = start_editor(data_dir, article_id, args.duration)
    live = asyncio.run(
        readers(port, lambda a: feed + str(a["id"]), args.readers, args.interval, args.duration)
    )
    posted = json.loads(editing.communicate(timeout=120)[0])
    row = live.row(f"GET /api/live/{article_id}?after=N", args.duration)
    rows.append(row | {"entries_posted": len(posted), "entries_delivered": live.items_seen})
    return rows


def table(rows: list[dict], args) -> str:
    head = f"{'target':<34}{'req/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'from cache':>12}{'errors':>8}"
    lines = [head, "-" * len(head)]
    for r in rows:
        cached = f"{r['from_cache']:.1%}" if r.get("page_cache", True) else "n/a"
        lines.append(
            f"{r['target']:<34}{r['rps']:>7.1f}{r['p50_ms']:>8.1f}{r['p99_ms']:>8.1f}"
            f"{cached:>12}{r['errors']:>8}"
        )
    live = rows[-1]
    lines.append(
        f"{args.readers} readers every {args.interval:g} s, {args.duration:g} s per phase; "
        f"editor posted {live['entries_posted']} entries (one every {EDITOR_EVERY:g} s), "
        f"readers received {live['entries_delivered']} entry items"
    )
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["--editor"]:
        editor(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=15.0)
    parser.add_argument("--duration", type=float, default=35.0, help="seconds per phase")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shpalta-bench-live-") as data_dir:
        article_id, static_path = prepare(data_dir)
        port = free_port()
        env = site_env(Path(data_dir), SHPALTA_SITE_URL=f"http://127.0.0.1:{port}")
        command = [str(BIN / "shpalta"), "serve", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(WORKERS), "--threads", str(THREADS), "--no-access-log"]
        with serving(command, env, port, Path(data_dir) / "server.log"):
            rows = measure(args, port, data_dir, article_id, static_path)
    print(table(rows, args))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    RESULTS.write_text(json.dumps({"machine": machine, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
