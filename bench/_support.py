"""What several benchmarks need alike: a throwaway site, its server, wrk, the demo archive grown.

The leading underscore keeps it out of `make bench` (bench/[!_]*.py); the scripts import it as
`_support`, since Python puts a script's own folder first on sys.path. Django is imported only
inside the functions that need it, so a script can use the rest before choosing its settings.
"""

import json
import logging
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "bench-only-secret-key-not-for-production"
DEFAULT_PORTS = {"postgres": 5432, "postgresql": 5432, "redis": 6379}
GROW_BATCH = 5000  # generated articles per transaction: memory stays flat at any size
BIN = Path(sys.executable).parent  # the venv's scripts: shpalta, gunicorn, python
# The beacon benchmarks' Redis (views.py, ads.py, popular_rotation.py); load.py has its own.
BEACONS_REDIS_URL = os.environ.get("SHPALTA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")


def browser(build: int = 0) -> str:
    """A desktop Chrome's user agent, a reader to the bot filter; each `build` another one."""
    return (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/131.0.{build}.0 Safari/537.36"
    )


AGENT = browser()


def beacon_options(parser) -> None:
    """The server and wrk options of the beacon benchmarks (views.py, ads.py): what
    views.gunicorn() and views.wrk() read."""
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--dup", type=int, default=5, help="every N-th beacon is a reload")
    parser.add_argument("--flush", type=int, default=5, help="journal/Redis flush interval, s")


# A wrk `done` for a plain GET benchmark (a static file): the RESULT line run_wrk() reads.
# No `response` callback, unlike WRK_TALLY: Lua run on every answer would slow the baseline.
WRK_STATIC = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"socket_errors":%d,"http_errors":%d,"statuses":{}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
"""

# wrk `setup`, `init` and `request` for beacons, `%`-formatted with `agent`, `path` and `field`
# (to be followed by WRK_TALLY); args: a file of ids, one a line, and DUP. Each beacon POSTs
# {"<field>": id} to `path` from a new reader, and every DUP-th one repeats the previous beacon
# as a reload does (0: none).
WRK_BEACONS = r"""
local ids, threads, counter = {}, {}, 0
local agent = "%(agent)s"
local path, field = "%(path)s", "%(field)s"

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do ids[#ids + 1] = line end
  dup = tonumber(args[2])
  n, statuses, last = 0, {}, nil
  math.randomseed(tid * 7919)
end

function request()
  n = n + 1
  if dup > 0 and n %% dup == 0 and last then
    return last
  end
  -- A new reader every time: its own address (10.<thread>.x.y) and browser build.
  local headers = {
    ["Content-Type"] = "application/json",
    ["User-Agent"] = agent .. " r" .. math.floor(n / 65536),
    ["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d",
                                        tid, math.floor(n / 256) %% 256, n %% 256),
  }
  -- News is read unevenly: item floor(N * u^3) gets the beacon (the top 1 %% of
  -- items draws about a fifth of them).
  local item = ids[math.floor(#ids * math.random() ^ 3) + 1]
  last = wrk.format("POST", path, headers, '{"' .. field .. '": ' .. item .. '}')
  return last
end
"""

# wrk `response` and `done` for a scripted mix, appended to the script: answers are tallied by
# status in each thread, summed over the script's `threads` (its setup() keeps them) with the
# per-thread `kinds` of request it counted, if any, into the RESULT line run_wrk() reads.
WRK_TALLY = r"""
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local function summed(name)
  local total, parts = {}, {}
  for _, thread in ipairs(threads) do
    for k, v in pairs(thread:get(name) or {}) do
      total[tostring(k)] = (total[tostring(k)] or 0) + v
    end
  end
  for k, v in pairs(total) do parts[#parts + 1] = string.format('"%s":%d', k, v) end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"socket_errors":%d,"http_errors":%d,"kinds":%s,"statuses":%s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status,
    summed("kinds"), summed("statuses")))
end
"""


# --- Django in this process ---------------------------------------------------------------


def setup_django(
    data_dir: str, *, migrate: bool = True, quiet: tuple[str, ...] = (), **settings: str
) -> None:
    """The production settings module on a throwaway data directory, set up in this process.

    `settings` are further SHPALTA_* variables; `quiet` names loggers whose INFO lines would
    bury the bench's own output.
    """
    os.environ["SHPALTA_DATA_DIR"] = data_dir
    os.environ.update(settings)
    os.environ.setdefault("SHPALTA_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "shpalta.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    for name in quiet:
        logging.getLogger(name).setLevel(logging.WARNING)
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def grow_demo_archive(total: int, progress: bool = False) -> None:
    """Published articles made of the loaded demo texts, up to `total` in all.

    Each copies a demo entry (title numbered, first two paragraphs, category, cover, authors,
    tags) and adds 1-4 paragraphs sampled from all the demo texts; dates spread over three
    years. Seeded, so every run and every bench grows the same archive.
    """
    from django.db import transaction
    from django.utils import timezone

    from shpalta.news import demo
    from shpalta.news.models import Article
    from shpalta.text.cleaning import plain_text
    from shpalta.text.slugs import slugify_uk

    rng = random.Random(20)
    entries = [e for e in demo.entries() if e.get("status", "published") == "published"]
    models = Article.objects.filter(import_source=demo.SOURCE).prefetch_related("authors", "tags")
    originals = {a.import_id: a for a in models}
    pool = [p for e in entries for p in e["body"] if not p.startswith("## ")]
    now = timezone.now()
    missing = total - Article.objects.count()
    for start in range(1, missing + 1, GROW_BATCH):
        articles, copied = [], []
        for n in range(start, min(start + GROW_BATCH, missing + 1)):
            entry = entries[n % len(entries)]
            original = originals[entry["id"]]
            body = demo.body_html(entry["body"][:2] + rng.sample(pool, rng.randint(1, 4)))
            articles.append(
                Article(
                    title=f"{entry['title']} ({n})",
                    slug=f"{slugify_uk(entry['title'], max_length=100)}-{n}",
                    lead=entry["lead"],
                    body=body,
                    body_text=plain_text(body),
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60)),
                    category_id=original.category_id,
                    cover_image=original.cover_image.name,
                    cover_alt=original.cover_alt,
                    cover_caption=original.cover_caption,
                )
            )
            copied.append(original)
        with transaction.atomic():
            created = Article.objects.bulk_create(articles, batch_size=1000)
            _copy_authors_and_tags(created, copied)
        if progress:
            print(f"  generated {start + len(articles) - 1:,} of {missing:,}", flush=True)


def _copy_authors_and_tags(created: list, originals: list) -> None:
    from shpalta.news.models import Article

    authors, tags = Article.authors.through, Article.tags.through
    authors.objects.bulk_create(
        [
            authors(article_id=a.pk, author_id=author.pk)
            for a, o in zip(created, originals, strict=True)
            for author in o.authors.all()
        ],
        batch_size=2000,
    )
    tags.objects.bulk_create(
        [
            tags(article_id=a.pk, tag_id=tag.pk)
            for a, o in zip(created, originals, strict=True)
            for tag in o.tags.all()
        ],
        batch_size=2000,
    )


# --- a site in other processes ------------------------------------------------------------


def site_env(data_dir: Path, **settings: str) -> dict:
    """Environment for a throwaway site's commands and server: the production settings module,
    none of the caller's own SHPALTA_* variables, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "shpalta.settings",
        "SHPALTA_DATA_DIR": str(data_dir),
        "SHPALTA_SECRET_KEY": SECRET_KEY,
        "SHPALTA_LOG_LEVEL": "WARNING",
    }
    return env | settings


def run(env: dict, *command: str, timeout: float = 3600) -> str:
    """A command's standard output; the bench stops with the command's output if it fails."""
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def reachable(url: str) -> bool:
    """Whether a service URL's host accepts connections (so a bench can skip what is down)."""
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    try:
        with socket.create_connection((parts.hostname, port), timeout=2):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(url: str, data: bytes | None = None, **headers) -> tuple[int, bytes]:
    """Status and body, error statuses included (urllib raises on those)."""
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def serving(command: list[str], env: dict, port: int, log: Path, wait: float = 60):
    """Runs a server on 127.0.0.1:`port` (its output in `log`) and yields its base URL once
    /healthz answers 200, so nothing is timed against a server still starting; SIGTERM at the
    end. The bench stops, with the log's tail, if the server exits or never answers."""
    name = Path(command[0]).name
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                sys.exit(f"{name} exited:\n{log.read_text()[-3000:]}")
            try:
                if http(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit(f"{name} did not answer {base}/healthz:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


# --- wrk ------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    """Debian's wrk; installed here when missing (as root), as .ci/run does for chromium."""
    if not shutil.which("wrk"):
        if os.geteuid() != 0:
            sys.exit("wrk is missing: sudo apt-get install -y wrk")
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    return shutil.which("wrk")


def run_wrk(
    binary: str,
    url: str,
    script: Path,
    *extra: str,
    threads: int,
    connections: int,
    duration: int,
) -> dict:
    """One wrk run; the script's `done` prints a `RESULT {json}` line, returned with req/s.
    `extra` goes to the script's init(args)."""
    command = [binary, "-t", str(threads), "-c", str(connections), "-d", f"{duration}s"]
    command += ["--timeout", "10s", "-s", str(script), url, "--", *extra]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


# --- nginx ----------------------------------------------------------------------------------


@contextmanager
def nginx(work: Path, servers: list[str], upstream_port: int, lib: Path | None = None):
    """Debian's nginx with the shipped deploy/nginx files (microcache store, the locations)
    and `servers` (server blocks; `include {locations};` puts the shipped locations in one),
    its paths moved into `work`, the app upstream on 127.0.0.1:`upstream_port`, /static/ and
    /media/ from `lib` (the site's data directory). Stopped at the end."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    deploy = ROOT / "deploy" / "nginx"
    for folder in ("cache", "tmp", "lib"):
        (work / folder).mkdir(parents=True, exist_ok=True)
    micro = deploy / "shpalta-microcache.conf"
    micro = micro.read_text() if micro.exists() else ""  # an older checkout has none
    (work / "microcache.conf").write_text(
        micro.replace("/var/cache/nginx/shpalta", str(work / "cache"))
    )
    locations = (deploy / "shpalta-locations.conf").read_text()
    locations = locations.replace("/var/lib/shpalta", str(lib or work / "lib"))
    (work / "locations.conf").write_text(locations)
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = " ".join(f"{k}_temp_path {work / 'tmp' / k};" for k in kinds)
    blocks = "\n".join(s.format(locations=work / "locations.conf") for s in servers)
    conf = work / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\nworker_processes 2;\npid {work / 'nginx.pid'};\n"
        f"error_log {work / 'nginx-error.log'};\nevents {{ worker_connections 1024; }}\n"
        "http {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"  {temp}\n  include {work / 'microcache.conf'};\n"
        f"  upstream shpalta_app {{ server 127.0.0.1:{upstream_port}; keepalive 32; }}\n"
        f"{blocks}\n}}\n"
    )
    checked = subprocess.run(
        [binary, "-t", "-p", str(work), "-c", str(conf)], capture_output=True, text=True
    )
    if checked.returncode:
        sys.exit(f"nginx refused its configuration:\n{checked.stderr}")
    process = subprocess.Popen([binary, "-p", str(work), "-c", str(conf)])
    try:
        time.sleep(0.5)
        if process.poll() is not None:
            sys.exit(f"nginx exited: {(work / 'nginx-error.log').read_text()[-3000:]}")
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
