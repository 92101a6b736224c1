"""Mixed reader load against `shpalta serve` (2 gunicorn workers): PostgreSQL + Redis, and SQLite.

For each engine a throwaway site gets the demo content plus bulk-generated articles (the demo
texts reshuffled), its search index and related lists, then `shpalta serve --workers 2` runs
with the page cache off and on. wrk sends a mix for the measured time, from 16 connections:

    80 %  article pages, random of all articles
    10 %  home page
     5 %  search, a random word of the articles' vocabulary
     5 %  view beacons (POST /api/views), random articles

Each reader request carries its own X-Forwarded-For address (as nginx adds it; the server is
told to trust one proxy), so the beacon's per-reader rate limit sees many readers, not one.
Right before the mix, in the same server run, wrk fetches the hashed stylesheet (whitenoise):
"ratio" is mixed req/s over static req/s. Errors are wrk's socket errors plus every answer
that is not 2xx/3xx; the run fails if there is any.

    .venv/bin/python bench/load.py            # ~5 min: 20,000 articles, 15 s per run
    .venv/bin/python bench/load.py --full     # 100,000 articles, 60 s per run (~15 min)
    .venv/bin/python bench/load.py --nginx    # and a third run through nginx's microcache
    .venv/bin/python bench/load.py --keep-pages  # every story's page kept first (keep_pages)

With --nginx the third run puts Debian's nginx with the shipped deploy/nginx configuration
(the microcache included) in front of `shpalta serve` with the page cache on; the static
baseline then comes from nginx too.

Prints a table and writes bench/results/load.json.
"""

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from _support import (
    WRK_STATIC,
    WRK_TALLY,
    ensure_wrk,
    free_port,
    grow_demo_archive,
    http,
    nginx,
    reachable,
    run,
    run_wrk,
    serving,
    site_env,
)

from shpalta.ops.server import worker_class

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results" / "load.json"
WORKERS = 2
SERVE_THREADS = int(os.environ.get("SHPALTA_WEB_THREADS") or 1)  # `shpalta serve`'s default
PG_URL = os.environ.get(
    "SHPALTA_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shpalta_bench_load"
)
REDIS_URL = os.environ.get("SHPALTA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
MIX = {"article": 80, "home": 10, "search": 5, "beacon": 5}

WRK_MIX = r"""
local articles, ids, words, threads = {}, {}, {}, {}
local counter = 0
local agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) " ..
              "Chrome/131.0.0.0 Safari/537.36"
local nets = {"192.0.2.", "198.51.100.", "203.0.113."}  -- documentation ranges: a header only

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local id, path = line:match("^(%d+) (.+)$")
    ids[#ids + 1] = id
    articles[#articles + 1] = path
  end
  for line in io.lines(args[2]) do words[#words + 1] = line end
  mix = {tonumber(args[3]), tonumber(args[4]), tonumber(args[5])}
  math.randomseed(seed * 7919)
  kinds = {article = 0, home = 0, search = 0, beacon = 0}
  statuses = {}
end

local function reader()
  return {["User-Agent"] = agent, ["Accept-Language"] = "uk",
          ["X-Forwarded-For"] = nets[math.random(3)] .. math.random(1, 254)}
end

function request()
  local r, headers = math.random(100), reader()
  if r <= mix[1] then
    kinds.article = kinds.article + 1
    return wrk.format("GET", articles[math.random(#articles)], headers)
  elseif r <= mix[2] then
    kinds.home = kinds.home + 1
    return wrk.format("GET", "/", headers)
  elseif r <= mix[3] then
    kinds.search = kinds.search + 1
    return wrk.format("GET", "/search/?q=" .. words[math.random(#words)], headers)
  end
  kinds.beacon = kinds.beacon + 1
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/views", headers,
                    '{"article": ' .. ids[math.random(#ids)] .. '}')
end
"""


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="100,000 articles, 60 s per run")
    parser.add_argument("--articles", type=int)
    parser.add_argument("--duration", type=int, help="seconds of mixed load per run")
    parser.add_argument("--static-duration", type=int, help="seconds of the static baseline")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--engines", default="postgres,sqlite", help="postgres,sqlite")
    parser.add_argument("--no-related", action="store_true", help="skip `related rebuild`")
    parser.add_argument(
        "--nginx",
        action="store_true",
        help="also run the mix through nginx with the shipped microcache (deploy/nginx)",
    )
    parser.add_argument(
        "--keep-pages",
        action="store_true",
        help="`shpalta keep_pages` before the mix: every story's page kept, as after its first "
        "view (without it, a story's first request in the run renders and keeps its page)",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep each prepared site under DIR and reuse it next time (same --articles)",
    )
    args = parser.parse_args()
    args.articles = args.articles or (100_000 if args.full else 20_000)
    args.duration = args.duration or (60 if args.full else 15)
    args.static_duration = args.static_duration or (10 if args.full else 5)
    return args


# --- the site -----------------------------------------------------------------------------


def base_env(data_dir: Path, engine: str) -> dict:
    # The bench talks to the server as nginx would: one proxy adds X-Forwarded-For.
    env = site_env(data_dir, SHPALTA_TRUSTED_PROXIES="1")
    if engine == "postgres":
        env |= {"SHPALTA_DATABASE_URL": PG_URL, "SHPALTA_REDIS_URL": REDIS_URL}
    return env


def shpalta(env: dict, *args: str) -> float:
    """Seconds a `shpalta` command took."""
    started = time.perf_counter()
    run(env, str(BIN / "shpalta"), *args)
    return time.perf_counter() - started


def recreate_postgres() -> None:
    import psycopg

    name = urlsplit(PG_URL).path.lstrip("/")
    admin = urlunsplit(urlsplit(PG_URL)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


@contextmanager
def site(engine: str, articles: int, related: bool, keep: str | None):
    """A migrated site with `articles` published articles, indexed; yields (env, dir, timings).

    With `keep`, the site stays in keep/ENGINE (and the PostgreSQL database is not dropped) and
    a later run with the same size reuses it instead of preparing it again.
    """
    with tempfile.TemporaryDirectory(prefix=f"shpalta-load-{engine}-") as tmp:
        data_dir = Path(keep) / engine if keep else Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        env = base_env(data_dir, engine)
        marker = data_dir / "prepared.json"
        prepared = json.loads(marker.read_text()) if marker.exists() else {}
        if prepared.get("articles") == articles and prepared.get("related") == related:
            timings = prepared["timings"]
        else:
            timings = prepare(engine, env, articles, related)
            marker.write_text(
                json.dumps({"articles": articles, "related": related, "timings": timings})
            )
        # Fresh planner statistics, as autovacuum (PostgreSQL) would soon gather after a bulk load.
        timings["analyze"] = shpalta_python(env, "--analyze")
        shpalta_python(env, "--targets", str(data_dir))
        yield env, data_dir, timings


def prepare(engine: str, env: dict, articles: int, related: bool) -> dict:
    if engine == "postgres":
        recreate_postgres()
    timings = {"migrate": shpalta(env, "migrate", "--noinput", "-v0")}
    timings["demo"] = shpalta(env, "load_demo")
    timings["generate"] = shpalta_python(env, "--generate", str(articles))
    timings["search reindex"] = shpalta(env, "reindex", "--quiet-progress")
    if related:
        timings["related rebuild"] = shpalta(env, "related", "rebuild", "--no-progress")
    return timings


def analyze() -> None:
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def shpalta_python(env: dict, *args: str) -> float:
    """This script's own helpers, run inside the site's Django settings."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, *args], env=env, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed")
    return time.perf_counter() - started


def generate(total: int) -> None:
    """Published articles made of the demo texts, spread over three years, in batches."""
    import django

    django.setup()
    grow_demo_archive(total, progress=True)


def write_targets(folder: str) -> None:
    """articles.txt ("id path" lines) and words.txt (search words, URL-quoted) for wrk."""
    import django

    django.setup()
    from shpalta.news.models import Article

    rows = Article.objects.published().values_list("pk", "slug", "title")
    words = set()
    with open(Path(folder) / "articles.txt", "w") as out:
        for pk, slug, title in rows.iterator(chunk_size=5000):
            out.write(f"{pk} /novyny/{slug}/\n")
            if len(words) < 2000:
                words.update(w.strip(".,:;!?«»()\"'—") for w in title.split() if len(w) > 4)
    words = sorted(w for w in words if w.isalpha())
    (Path(folder) / "words.txt").write_text("\n".join(quote(w) for w in words) + "\n")


# --- the server and the load ---------------------------------------------------------------


@contextmanager
def serve(env: dict, data_dir: Path, page_cache: bool, through_nginx: bool = False):
    """`shpalta serve`; with `through_nginx`, the shipped nginx configuration (microcache
    included) in front, answering at the URL yielded. nginx adds the reader's address to the
    X-Forwarded-For the bench sends, so Shpalta then trusts two proxies' worth of it."""
    port = free_port()
    log = data_dir / f"serve-cache-{int(page_cache)}{'-nginx' if through_nginx else ''}.log"
    env = env | {"SHPALTA_PAGE_CACHE": "1" if page_cache else "0"}
    if through_nginx:
        env |= {"SHPALTA_TRUSTED_PROXIES": "2"}
    command = [str(BIN / "shpalta"), "serve", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(WORKERS), "--threads", str(SERVE_THREADS)]
    with serving(command, env, port, log, wait=120) as base:
        if not through_nginx:
            yield base, log
            return
        front = free_port()
        server = f"server {{{{ listen 127.0.0.1:{front}; include {{locations}}; }}}}"
        with nginx(data_dir / "nginx", [server], port, lib=data_dir):
            yield f"http://127.0.0.1:{front}", log


def check_targets(base: str, data_dir: Path) -> str:
    """Every kind of request answers as it should before anything is timed; the CSS URL."""
    lines = (data_dir / "articles.txt").read_text().splitlines()
    word = (data_dir / "words.txt").read_text().split()[0]
    pk, path = random.Random(2).choice(lines).split(" ", 1)
    status, html = http(base + "/")
    assert status == 200, status
    css = html.split(b'href="/static/shpalta/site.', 1)[1].split(b'"', 1)[0].decode()
    checks = {
        path: http(base + path),
        "/search/": http(base + f"/search/?q={word}"),
        "/api/views": http(
            base + "/api/views",
            json.dumps({"article": int(pk)}).encode(),
            **{"Content-Type": "application/json"},
        ),
        "static": http(base + f"/static/shpalta/site.{css}"),
    }
    for name, (status, _) in checks.items():
        assert status in (200, 204), f"{name} answered {status}"
    return f"/static/shpalta/site.{css}"


def wrk(binary, base, script: Path, args, duration: int, *extra: str, path: str = "/") -> dict:
    result = run_wrk(
        binary,
        base + path,
        script,
        *extra,
        threads=args.threads,
        connections=args.connections,
        duration=duration,
    )
    result["errors"] = result["socket_errors"] + result["http_errors"]
    return result


def run_engine(engine: str, binary: str, args) -> list[dict]:
    rows = []
    print(f"\n[{engine}] preparing {args.articles:,} articles …", flush=True)
    prepared = site(engine, args.articles, related=not args.no_related, keep=args.keep)
    with prepared as (env, data_dir, timings):
        if args.keep_pages:  # the pages this code keeps (a kept site may hold another's)
            timings = timings | {"keep_pages": shpalta(env, "keep_pages", "--quiet-progress")}
        print(f"[{engine}] ready: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
        mix = data_dir / "mix.lua"
        mix.write_text(WRK_MIX + WRK_TALLY)
        static_script = data_dir / "static.lua"
        static_script.write_text(WRK_STATIC)
        cumulative = [sum(list(MIX.values())[: i + 1]) for i in range(3)]
        targets = [str(data_dir / "articles.txt"), str(data_dir / "words.txt")]
        targets += [str(n) for n in cumulative]
        modes = [(False, False), (True, False)] + ([(True, True)] if args.nginx else [])
        for page_cache, through_nginx in modes:
            if engine == "postgres":
                flush_redis()
            with serve(env, data_dir, page_cache, through_nginx) as (base, log):
                css = check_targets(base, data_dir)
                wrk(binary, base, mix, args, 3, *targets)  # warm-up: connections, caches
                static = wrk(binary, base, static_script, args, args.static_duration, path=css)
                mixed = wrk(binary, base, mix, args, args.duration, *targets)
            row = {
                "engine": engine,
                "page_cache": page_cache,
                "through": "nginx microcache" if through_nginx else "gunicorn",
                "articles": args.articles,
                "prepare_seconds": {k: round(v, 1) for k, v in timings.items()},
                "mixed": mixed,
                "static": static,
                "ratio": mixed["rps"] / static["rps"] if static["rps"] else 0.0,
                # other work on the machine takes cores from both server and wrk: shown
                "load_average_1min": round(os.getloadavg()[0], 1),
            }
            rows.append(row)
            mode = f"cache {'on' if page_cache else 'off'}{', nginx' if through_nginx else ''}"
            print(f"[{engine}] {mode}: {line(row)}", flush=True)
            if mixed["errors"] or static["errors"]:
                print(f"[{engine}] ERRORS, statuses: {mixed.get('statuses')}; log: {log}")
    return rows


def line(row: dict) -> str:
    m, s = row["mixed"], row["static"]
    return (
        f"{m['rps']:.0f} req/s, p50 {m['p50_us'] / 1000:.1f} ms, p99 {m['p99_us'] / 1000:.1f} ms,"
        f" errors {m['errors']}; static {s['rps']:.0f} req/s (errors {s['errors']});"
        f" ratio {row['ratio']:.3f}"
    )


def table(rows: list[dict]) -> str:
    head = (
        "| engine | page cache | through | articles | mixed req/s | p50 ms | p99 ms | errors "
        "| static req/s | static p50 ms | mixed/static | load avg |"
    )
    lines = [head, "|---" * 12 + "|"]
    for r in rows:
        m, s = r["mixed"], r["static"]
        engine = "PostgreSQL + Redis" if r["engine"] == "postgres" else "SQLite (WAL)"
        lines.append(
            f"| {engine} | {'on' if r['page_cache'] else 'off'} | {r.get('through', 'gunicorn')} "
            f"| {r['articles']:,} "
            f"| {m['rps']:.0f} | {m['p50_us'] / 1000:.1f} | {m['p99_us'] / 1000:.1f} "
            f"| {m['errors'] + s['errors']} | {s['rps']:.0f} | {s['p50_us'] / 1000:.2f} "
            f"| {r['ratio']:.3f} | {r.get('load_average_1min', '')} |"
        )
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["--generate"]:
        return generate(int(sys.argv[2]))
    if sys.argv[1:2] == ["--targets"]:
        return write_targets(sys.argv[2])
    if sys.argv[1:2] == ["--analyze"]:
        return analyze()
    args = parse()
    binary = ensure_wrk()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if "postgres" in engines and not (reachable(PG_URL) and reachable(REDIS_URL)):
        sys.exit(f"PostgreSQL ({PG_URL}) or Redis ({REDIS_URL}) is not reachable")
    rows = [row for engine in engines for row in run_engine(engine, binary, args)]
    report = {
        "benchmark": "load",
        "server": f"shpalta serve: gunicorn, {WORKERS} {worker_class(SERVE_THREADS)} workers x "
        f"{SERVE_THREADS} thread(s) (serve's default), DEBUG off",
        "load": f"wrk -t{args.threads} -c{args.connections}, mixed {args.duration} s, "
        f"static {args.static_duration} s, same machine",
        "mix": MIX,
        "pages_kept_first": args.keep_pages,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "rows": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"\n{report['server']}; {report['load']}")
    print("mix: " + ", ".join(f"{v}% {k}" for k, v in MIX.items()))
    if args.keep_pages:
        print("every story's page kept before the mix (`shpalta keep_pages`)")
    else:
        print(
            "no story page kept before the first mix: a story's first request renders and keeps"
            " it (a later mix of the run finds the pages the earlier ones kept)"
        )
    print(table(rows))
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")
    if any(r["mixed"]["errors"] or r["static"]["errors"] for r in rows):
        sys.exit("errors under load: see the statuses in bench/results/load.json")


if __name__ == "__main__":
    main()
