"""Reader page speed with 10,000 articles in SQLite, beside a static file from the same server.

A temporary data directory gets the demo content plus generated articles (bulk-created from
the demo texts), then gunicorn serves `shpalta.wsgi` with DEBUG off and 2 sync workers, and
wrk measures, in the same run and against the same server: a static file (whitenoise), the
home page, one hot article page and random article pages. Everything runs twice: with the
whole-page cache on (how the site is configured by default) and off (the cost of rendering).

    .venv/bin/python bench/pages.py [--articles 10000] [--duration 10] [--connections 8]

Prints a table and writes bench/results/pages.json. The load generator shares the machine's
cores with the server, as it does for the static baseline, so the ratio is the fair number.
"""

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from _support import (
    SECRET_KEY,
    ensure_wrk,
    free_port,
    grow_demo_archive,
    run_wrk,
    serving,
    setup_django,
)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results" / "pages.json"
WORKERS = 2

WRK_SCRIPT = """
local paths = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(seed * 7919)
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, e.connect, e.read, e.write,
    e.status, e.timeout))
end
"""


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=8, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--keep", metavar="DIR", help="build the site in DIR and keep it")
    return parser.parse_args()


def configure(data_dir: str, port: int) -> dict:
    """The production settings (DEBUG off) on a throwaway data directory."""
    setup_django(
        data_dir,
        migrate=False,
        SHPALTA_SECRET_KEY=SECRET_KEY,
        SHPALTA_DEBUG="0",
        SHPALTA_SITE_URL=f"http://127.0.0.1:{port}",
        SHPALTA_LOG_LEVEL="WARNING",
    )
    return dict(os.environ)


def prepare(total: int) -> float:
    """Migrate, collect static files, load the demo, then bulk-create up to `total` articles."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    grow_demo_archive(total)
    return time.perf_counter() - started


def targets(data_dir: str) -> dict[str, Path]:
    """Name → a file of request paths (wrk picks one at random per request)."""
    from django.templatetags.static import static

    from shpalta.news.models import Article

    slugs = list(Article.objects.published().values_list("slug", flat=True))
    newest = Article.objects.published().order_by("-published_at").first()
    sets = {
        "static file (whitenoise)": [static("shpalta/site.css")],
        "home page": ["/"],
        "article, one hot URL": [newest.get_absolute_url()],
        f"article, random of {len(slugs):,}": [f"/novyny/{slug}/" for slug in slugs],
    }
    files = {}
    for i, (name, paths) in enumerate(sets.items()):
        path = Path(data_dir) / f"paths-{i}.txt"
        path.write_text("\n".join(paths) + "\n")
        files[name] = path
    return files


@contextmanager
def server(env: dict, port: int, page_cache: bool):
    log = Path(env["SHPALTA_DATA_DIR"]) / f"gunicorn-{int(page_cache)}.log"
    command = [str(BIN / "gunicorn"), "shpalta.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(WORKERS), "--log-level", "warning"]
    env = env | {"SHPALTA_PAGE_CACHE": "1" if page_cache else "0"}
    with serving(command, env, port, log) as base:
        yield base


def check(base: str, paths_file: Path) -> None:
    """Every measured URL answers 200 with a body, so errors cannot pass for speed."""
    paths = paths_file.read_text().split()
    for path in random.Random(1).sample(paths, min(5, len(paths))):
        with urllib.request.urlopen(base + path, timeout=10) as response:
            body = response.read()
            assert response.status == 200 and len(body) > 500, (path, response.status)


def wrk(binary: str, base: str, script: Path, paths: Path, args, duration: int) -> dict:
    result = run_wrk(
        binary,
        base,
        script,
        str(paths),
        threads=args.threads,
        connections=args.connections,
        duration=duration,
    )
    result["errors"] = sum(result.pop(k) for k in ("connect", "read", "write", "status", "timeout"))
    return result


def measure(binary: str, env: dict, port: int, files: dict, args) -> list[dict]:
    """Each page target right after its own static-file run, so both see the same machine load."""
    script = Path(env["SHPALTA_DATA_DIR"]) / "bench.lua"
    script.write_text(WRK_SCRIPT)
    (static_name, static_paths), *pages = files.items()
    rows = []
    for page_cache in (True, False):
        with server(env, port, page_cache) as base:
            for name, paths in pages:
                pair = {}
                for label, target in ((static_name, static_paths), (name, paths)):
                    check(base, target)
                    wrk(binary, base, script, target, args, duration=2)  # warm-up, not recorded
                    result = wrk(binary, base, script, target, args, duration=args.duration)
                    pair[label] = {"page_cache": page_cache, "target": label, **result}
                    pair[label]["load_average"] = os.getloadavg()[0]
                static, page = pair[static_name], pair[name]
                page["static_rps"], page["rps_ratio"] = static["rps"], page["rps"] / static["rps"]
                page["static_p50_us"] = static["p50_us"]
                rows.append(page)
                print(f"  cache {'on' if page_cache else 'off'}: {name} done", flush=True)
    return rows


def table(rows: list[dict]) -> str:
    head = f"{'cache':<6}{'target':<28}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
    head += f"{'static req/s':>13}{'static p50':>11}{'page/static':>12}{'errors':>7}{'load':>6}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{'on' if r['page_cache'] else 'off':<6}{r['target']:<28}{r['rps']:>8.0f}"
            f"{r['p50_us'] / 1000:>8.1f}{r['p99_us'] / 1000:>8.1f}{r['static_rps']:>13.0f}"
            f"{r['static_p50_us'] / 1000:>11.1f}{r['rps_ratio']:>12.3f}{r['errors']:>7}"
            f"{r['load_average']:>6.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    args = parse()
    binary = ensure_wrk()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="shpalta-bench-pages-") as temporary:
        data_dir = str(Path(args.keep).resolve()) if args.keep else temporary
        env = configure(data_dir, port)
        print(f"preparing {args.articles:,} articles in {data_dir} …", flush=True)
        seconds = prepare(args.articles)
        from shpalta.news.models import Article

        count = Article.objects.published().count()
        print(f"  {count:,} published articles in {seconds:.1f} s", flush=True)
        rows = measure(binary, env, port, targets(data_dir), args)
    report = {
        "benchmark": "pages",
        "articles": count,
        "database": "sqlite (WAL)",
        "server": f"gunicorn shpalta.wsgi, {WORKERS} sync workers, DEBUG off",
        "load": f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, same machine",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "note": "page/static = page req/s over the static-file req/s measured just before it",
        "prepare_seconds": round(seconds, 1),
        "rows": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print()
    print(f"{count:,} articles, {report['server']}; {report['load']}")
    print("page/static: page req/s ÷ static-file req/s measured just before; load: 1-min avg")
    print(table(rows))
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
