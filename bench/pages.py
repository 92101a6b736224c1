"""Reader page speed beside the framework's floor and nginx, all servers up at once.

The site is the 100,000-article archive that bench/render.py keeps beside the checkout
(../benchdata/pages100k, generated once; --data DIR). With every server running at the same
time, wrk measures each target in turn, for several rounds in a rotating order, so background
load on a shared machine falls on each alike; each target's best round is reported:

    bare Django        a minimal Django project (startproject's middleware) whose one view
                       returns the same article HTML, on the same gunicorn (bench/_bare_django.py)
    Shpalta, cache on  gunicorn shpalta.wsgi as deployed: one hot article (a page-cache hit),
                       random articles, each request with a query string of its own (so
                       every one is a page-cache miss, stored: a repeated story would be a
                       hit), the home page
    Shpalta, cache off the same site with SHPALTA_PAGE_CACHE=0: random articles, the home page
    nginx static       Debian's nginx serving the same HTML as a file
    nginx microcache   the shipped deploy/nginx configuration in front of Shpalta (cache on):
                       one hot article

Every Django target runs under gunicorn with 2 sync workers and DEBUG off, all with one public
address (SHPALTA_SITE_URL), as a site's processes have. Before measuring, `shpalta keep_pages`
keeps every story's page and «Більше подібного» items (news/stored.py), as after each story's
first view since the deploy; bench/render.py times the first views with nothing kept.

    .venv/bin/python bench/pages.py [--data DIR] [--duration 5] [--rounds 3] [--connections 8]
        [--baseline DIR] [--hot-only]

--baseline DIR adds two more servers from another checkout (`git worktree add --detach DIR
<commit>`), cache on (the hot article) and cache off (random articles), for a before/after in
the same run, on a copy of the archive with its own kept pages (`keep_pages` of that checkout,
where it has one); --hot-only measures only bare Django
and the hot cached article(s). Beside req/s, each Django target's server CPU per request (its
gunicorn master and workers, from /proc) is given as the median over the rounds, which the
other programs on a shared machine disturb less than req/s.

Prints a table with ratios to bare Django (and the microcache's to nginx static) and the load
averages, and writes bench/results/pages.json.
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from _support import SECRET_KEY, ensure_wrk, free_port, nginx, run_wrk, serving, setup_django

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results" / "pages.json"
MICROCACHE = (ROOT / "deploy" / "nginx" / "shpalta-microcache.conf").exists()  # older checkouts
DEFAULT_DATA = str(ROOT.parent / "benchdata" / "pages100k")  # bench/render.py's archive
WORKERS = 2
SITE_URL = "http://127.0.0.1:8000"

WRK_SCRIPT = """
local paths = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(seed * 7919 + tonumber(args[2]) * 104729)
  round, unique, sent = args[2], args[3] == "unique", 0
end
function request()
  local path = paths[math.random(#paths)]
  if unique then  -- an address of its own: the page cache has never stored it
    sent = sent + 1
    path = path .. "?miss=" .. round .. "-" .. seed .. "-" .. sent
  end
  return wrk.format("GET", path)
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
    parser.add_argument("--data", default=os.environ.get("SHPALTA_BENCH_DATA", DEFAULT_DATA))
    parser.add_argument("--articles", type=int, default=100_000, help="archive size if made")
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--baseline",
        metavar="DIR",
        help="another checkout (a git worktree of an older commit): its code serves one more "
        "target, cache on, the hot article, on the same data",
    )
    parser.add_argument(
        "--hot-only",
        action="store_true",
        help="only bare Django and the hot cached article (and --baseline's): more rounds fit",
    )
    return parser.parse_args()


def prepare(data_dir: str, total: int) -> None:
    """bench/render.py's archive: migrated, static files collected, generated only once."""
    from django.core.management import call_command
    from render import prepare as prepare_archive

    prepare_archive(data_dir, total)
    call_command("collectstatic", verbosity=0, interactive=False)


def server_cpu(port: int) -> float:
    """CPU seconds used so far by the processes serving `port` (a gunicorn master and its
    workers share its command line); the table's CPU per request is less disturbed by the
    other programs of a busy machine than req/s is."""
    total, needle = 0, f"127.0.0.1:{port}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "cmdline").read_bytes():
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def shpalta_env(data_dir: str, port: int, page_cache: bool, src: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "shpalta.settings",
        "SHPALTA_DATA_DIR": data_dir,
        "SHPALTA_SECRET_KEY": SECRET_KEY,
        "SHPALTA_DEBUG": "0",
        "SHPALTA_LOG_LEVEL": "WARNING",
        # One public address for every server, as a site's processes have: links in the
        # pages are the same, and so is what their kept story pages were rendered by.
        "SHPALTA_SITE_URL": SITE_URL,
        "SHPALTA_PAGE_CACHE": "1" if page_cache else "0",
        # The code of this checkout (or --baseline's), whatever is installed.
        "PYTHONPATH": str(src or ROOT / "src"),
    }


def older_schema(data_dir: str, then_src: Path, port: int) -> None:
    """The baseline's copy of the archive migrated back, by this checkout's migrations, to the
    baseline's latest of each app: a column this checkout added without a default in the
    database would make every row the baseline writes fail."""
    here = ROOT / "src" / "shpalta"
    for migrations in sorted(here.glob("*/migrations")):
        app = migrations.parent.name
        ours = sorted(path.stem for path in migrations.glob("[0-9]*.py"))
        theirs = sorted(
            path.stem for path in (then_src / "shpalta" / app / "migrations").glob("[0-9]*.py")
        )
        if ours and ours != theirs:
            target = theirs[-1] if theirs else "zero"
            env = shpalta_env(data_dir, port, False)
            command = [str(BIN / "shpalta"), "migrate", app, target, "--verbosity", "0"]
            subprocess.run(command, env=env, check=True)


def gunicorn(app: str, port: int) -> list[str]:
    command = [str(BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}"]
    return command + ["--workers", str(WORKERS), "--log-level", "warning"]


def check(base: str, path: str) -> None:
    """Every measured URL answers 200 with a body, so errors cannot pass for speed."""
    try:
        response = urllib.request.urlopen(base + path, timeout=30)
    except urllib.error.HTTPError as error:
        sys.exit(f"{base + path} answered {error.code}: not measured")
    with response:
        body = response.read()
        assert response.status == 200 and len(body) > 500, (base + path, response.status)


def measure(binary: str, targets: list[dict], work: Path, args) -> list[dict]:
    script = work / "bench.lua"
    script.write_text(WRK_SCRIPT)
    for target in targets:
        paths = random.Random(1).sample(target["paths"], min(3, len(target["paths"])))
        for path in paths:
            check(target["base"], path)
        target["file"] = work / f"paths-{targets.index(target)}.txt"
        target["file"].write_text("\n".join(target["paths"]) + "\n")
    best: dict[str, dict] = {}
    for round_ in range(args.rounds):
        order = targets[round_ % len(targets) :] + targets[: round_ % len(targets)]
        for target in order:
            extra = (str(target["file"]), str(round_ + 1), target.get("addresses", "same"))
            common = {"threads": args.threads, "connections": args.connections}
            run_wrk(binary, target["base"], script, *extra, duration=1, **common)  # warm-up
            port = target.get("port")
            cpu = server_cpu(port) if port else 0.0
            result = run_wrk(
                binary, target["base"], script, *extra, duration=args.duration, **common
            )
            result["cpu_us"] = (
                (server_cpu(port) - cpu) / max(result["requests"], 1) * 1e6 if port else None
            )
            result["errors"] = sum(
                result.pop(k) for k in ("connect", "read", "write", "status", "timeout")
            )
            result["load_average"] = os.getloadavg()[0]
            result["round"] = round_ + 1
            name = target["name"]
            if name not in best or result["rps"] > best[name]["rps"]:
                best[name] = {"target": name, **result, "cpu_rounds": []}
            best[name]["cpu_rounds"] = [*best[name]["cpu_rounds"], result["cpu_us"]]
            cpu_text = f", server CPU {result['cpu_us']:.0f} µs/req" if port else ""
            print(
                f"  round {round_ + 1}: {name}: {result['rps']:,.0f} req/s{cpu_text}, "
                f"load {result['load_average']:.1f}",
                flush=True,
            )
    return [best[t["name"]] for t in targets]


def table(rows: list[dict]) -> str:
    """Best round's req/s and latency; server CPU per request as the median over the rounds,
    and its ratio: bare Django's CPU per request over the target's (1.00 = as cheap)."""
    bare_row = next(r for r in rows if r["target"].startswith("bare Django"))
    bare = bare_row["rps"]
    static = next((r["rps"] for r in rows if r["target"].startswith("nginx static")), None)
    for r in rows:
        cpus = [c for c in r["cpu_rounds"] if c is not None]
        r["cpu_us_median"] = statistics.median(cpus) if cpus else None
    bare_cpu = bare_row["cpu_us_median"]
    head = (
        f"{'target':<48}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'× bare':>8}"
        f"{'CPU µs':>8}{'× bare':>8}{'errors':>7}{'load':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        cpu = r["cpu_us_median"]
        cpu_text = f"{cpu:>8.0f}{bare_cpu / cpu:>8.2f}" if cpu else f"{'':>16}"
        lines.append(
            f"{r['target']:<48}{r['rps']:>9.0f}{r['p50_us'] / 1000:>8.2f}{r['p99_us'] / 1000:>8.2f}"
            f"{r['rps'] / bare:>8.2f}{cpu_text}{r['errors']:>7}{r['load_average']:>6.1f}"
        )
        if r["target"].startswith("nginx microcache") and static:
            lines[-1] += f"   {r['rps'] / static:.2f}× nginx static"
    return "\n".join(lines)


def main() -> None:
    args = parse()
    binary = ensure_wrk()
    Path(args.data).mkdir(parents=True, exist_ok=True)
    setup_django(args.data, migrate=False, SHPALTA_SECRET_KEY=SECRET_KEY, SHPALTA_DEBUG="0")
    prepare(args.data, args.articles)
    from django.test import Client

    from shpalta.news.models import Article

    slugs = list(Article.objects.published().values_list("slug", flat=True))
    hot = Article.objects.published().order_by("-published_at").first().get_absolute_url()
    random_paths = [f"/novyny/{slug}/" for slug in slugs]
    ports = {
        name: free_port() for name in ("on", "off", "bare", "static", "micro", "then", "then_off")
    }
    with (
        tempfile.TemporaryDirectory(prefix="shpalta-bench-pages-") as temporary,
        ExitStack() as stack,
    ):
        work = Path(temporary)
        html = Client().get(hot).content  # the hot article's HTML, for the floor and the file
        (work / "nginx" / "www").mkdir(parents=True)
        (work / "nginx" / "www" / "page.html").write_bytes(html)
        (work / "page.html").write_bytes(html)
        print(f"{len(slugs):,} articles; the article page is {len(html) / 1024:.1f} KB", flush=True)
        on, off = (shpalta_env(args.data, ports[k], k == "on") for k in ("on", "off"))
        # Every story's page kept, as after each story's first view (news/stored.py).
        print("keeping the stories' pages (shpalta keep_pages) …", flush=True)
        keep = [str(BIN / "shpalta"), "keep_pages", "--quiet-progress"]
        subprocess.run(keep, env=off, check=True)
        base = {}
        base["on"] = stack.enter_context(
            serving(gunicorn("shpalta.wsgi", ports["on"]), on, ports["on"], work / "on.log")
        )
        base["off"] = stack.enter_context(
            serving(gunicorn("shpalta.wsgi", ports["off"]), off, ports["off"], work / "off.log")
        )
        if args.baseline:
            # Its own copy of the archive: two releases that keep story pages in one database
            # would each render again, on every view, the pages the other kept.
            then_data = str(work / "baseline-data")
            shutil.copytree(args.data, then_data)
            then_src = Path(args.baseline) / "src"
            older_schema(then_data, then_src, ports["then_off"])
            keep_then = shpalta_env(then_data, ports["then_off"], False, then_src)
            if subprocess.run(keep, env=keep_then, capture_output=True).returncode:
                print("  (the baseline keeps no story pages)", flush=True)
            for key, cache_on in (("then", True), ("then_off", False)):
                then = shpalta_env(then_data, ports[key], cache_on, then_src)
                command = gunicorn("shpalta.wsgi", ports[key])
                base[key] = stack.enter_context(
                    serving(command, then, ports[key], work / f"{key}.log")
                )
        bare_env = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
        bare_env |= {"BARE_PAGE": str(work / "page.html"), "PYTHONPATH": str(ROOT / "bench")}
        bare_env.pop("DJANGO_SETTINGS_MODULE", None)
        base["bare"] = stack.enter_context(
            serving(
                gunicorn("_bare_django:application", ports["bare"]),
                bare_env,
                ports["bare"],
                work / "bare.log",
            )
        )
        static_server = (
            f"server {{{{ listen 127.0.0.1:{ports['static']}; root {work / 'nginx' / 'www'}; "
            "location / {{ default_type text/html; try_files /page.html =404; }} }}"
        )
        micro_server = f"server {{{{ listen 127.0.0.1:{ports['micro']}; include {{locations}}; }}}}"
        stack.enter_context(nginx(work / "nginx", [static_server, micro_server], ports["on"]))
        base["static"] = f"http://127.0.0.1:{ports['static']}"
        base["micro"] = f"http://127.0.0.1:{ports['micro']}"
        n = f"{len(slugs):,}"
        targets = [
            {"name": "bare Django, same HTML, same gunicorn", "base": base["bare"], "paths": [hot]},
            {"name": "Shpalta, cache on, one hot article", "base": base["on"], "paths": [hot]},
            {
                "name": f"Shpalta, cache on, random of {n} (miss)",
                "base": base["on"],
                "paths": random_paths,
                "addresses": "unique",  # every request a miss (a repeat would be a hit)
            },
            {
                "name": f"Shpalta, cache off, random of {n}",
                "base": base["off"],
                "paths": random_paths,
            },
            {"name": "Shpalta, cache on, home page", "base": base["on"], "paths": ["/"]},
            {"name": "Shpalta, cache off, home page", "base": base["off"], "paths": ["/"]},
            {
                "name": "nginx static, same HTML as a file",
                "base": base["static"],
                "paths": ["/page.html"],
            },
            {"name": "nginx microcache, one hot article", "base": base["micro"], "paths": [hot]},
        ][: None if MICROCACHE else -1]
        if args.baseline:
            commit = subprocess.run(
                ["git", "-C", args.baseline, "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            then_row = {"name": f"Shpalta at {commit}, cache on, one hot article"}
            targets.insert(2, then_row | {"base": base["then"], "paths": [hot]})
            then_off = {"name": f"Shpalta at {commit}, cache off, random of {n}"}
            targets.insert(5, then_off | {"base": base["then_off"], "paths": random_paths})
        if args.hot_only:
            targets = [
                t for t in targets if "hot article" in t["name"] and "nginx" not in t["name"]
            ]
            targets.insert(
                0,
                {
                    "name": "bare Django, same HTML, same gunicorn",
                    "base": base["bare"],
                    "paths": [hot],
                },
            )
        by_base = {url: ports[key] for key, url in base.items() if key in ports}
        for target in targets:
            target["port"] = by_base.get(target["base"]) if "nginx" not in target["name"] else None
        rows = measure(binary, targets, work, args)
    load = os.getloadavg()
    report = {
        "benchmark": "pages",
        "articles": len(slugs),
        "database": "sqlite (WAL)",
        "server": f"gunicorn, {WORKERS} sync workers, DEBUG off (Shpalta and bare Django alike)",
        "load": f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
        f"{args.rounds} rounds, best",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_end": load,
        "rows": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print()
    print(f"{len(slugs):,} articles, {report['server']}; {report['load']}")
    print(
        "× bare: req/s over bare Django's in the same run; CPU µs: the server's CPU per request,"
        " median of the rounds, × bare its ratio; load: 1-min average at the measurement"
    )
    print(table(rows))
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
