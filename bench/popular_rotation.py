"""One address rotating user agents against «Популярне», before and after the address budgets.

A throwaway site (SQLite, DEBUG off, 12 published articles) is served by `shpalta serve`
(behind one trusted proxy, so each beacon's X-Forwarded-For is its reader's address), and:

1. honest readers: article k of the first eleven gets 30 - 2k beacons, each from an address and
   browser of its own (30, 28, … 10 views); the twelfth gets one;
2. one address, 600 user agents, all on the twelfth article (the probe of issue 21, item 3);
3. another address, 600 user agents, spread over all twelve articles (50 each).

Then «Популярне» is read back through `GET /api/popular`. Each counting path runs twice:
"before" with the budgets off (SHPALTA_VIEWS_PER_ADDRESS_ARTICLE=0 and _SITE=0, what the site did
before), "after" with the defaults (10 readers per address per article and 100 per address on
the whole site, per half hour).

    .venv/bin/python bench/popular_rotation.py              # about 1.5 min
    SHPALTA_BENCH_REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/popular_rotation.py

The Redis path runs when SHPALTA_BENCH_REDIS_URL's server answers (keys under a fresh prefix,
removed afterwards; nothing else in that database is touched). Prints a table; writes
bench/results/popular_rotation.json.
"""

import argparse
import json
import os
import tempfile
import threading
import time
import uuid
from pathlib import Path

from _support import (
    BEACONS_REDIS_URL,
    BIN,
    browser,
    free_port,
    http,
    reachable,
    run,
    serving,
    site_env,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "popular_rotation.json"
ARTICLES = (
    "from shpalta.news import factories; "
    "print(' '.join(str(factories.article(f'Стаття {n}').pk) for n in range(12)))"
)
HONEST = [30 - 2 * k for k in range(11)] + [1]
ROTATIONS = 600
WINDOW = 1800  # the budgets' half hour


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--paths", default="embedded,redis")
    return parser.parse_args()


def send_all(base: str, beacons: list[tuple[str, str, int]], threads: int) -> dict[int, int]:
    """POST each (address, agent, article) beacon, `threads` at a time; statuses counted."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    todo = iter(beacons)

    def work():
        while True:
            with lock:
                item = next(todo, None)
            if item is None:
                return
            address, agent, article = item
            headers = {
                "Content-Type": "application/json",
                "User-Agent": agent,
                "X-Forwarded-For": address,
            }
            status = http(base + "/api/views", json.dumps({"article": article}).encode(), **headers)
            with lock:
                statuses[status[0]] = statuses.get(status[0], 0) + 1

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return statuses


def clear_of_the_half_hour(needed: float = 90) -> None:
    left = WINDOW - time.time() % WINDOW
    if left < needed:
        print(f"  waiting {left:.0f} s for the next half hour …", flush=True)
        time.sleep(left + 0.5)


def measure(path: str, budgets: bool, args) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"shpalta-rotation-{path}-") as tmp:
        data_dir = Path(tmp)
        env = site_env(
            data_dir,
            SHPALTA_DEBUG="0",
            SHPALTA_TRUSTED_PROXIES="1",
            SHPALTA_PAGE_CACHE="0",
            SHPALTA_POPULAR_CACHE_SECONDS="0",
            SHPALTA_VIEWS_FLUSH_SECONDS="1",
            SHPALTA_VIEWS_PER_MINUTE="1000000",  # the per-client limit is not measured here
        )
        if not budgets:
            env |= {"SHPALTA_VIEWS_PER_ADDRESS_ARTICLE": "0", "SHPALTA_VIEWS_PER_ADDRESS_SITE": "0"}
        prefix = f"bench:rotation:{uuid.uuid4().hex[:10]}:"
        if path == "redis":
            env |= {"SHPALTA_REDIS_URL": BEACONS_REDIS_URL, "SHPALTA_POPULAR_REDIS_PREFIX": prefix}
        shpalta = str(BIN / "shpalta")
        run(env, shpalta, "migrate", "--noinput", "-v0")
        ids = [int(i) for i in run(env, shpalta, "shell", "-v0", "-c", ARTICLES).split()]
        target = ids[-1]
        honest = [
            (f"198.51.{k}.{r + 1}", browser(r), article)
            for k, (article, readers) in enumerate(zip(ids, HONEST, strict=True))
            for r in range(readers)
        ]
        one_article = [("203.0.113.66", browser(n), target) for n in range(ROTATIONS)]
        many = [("203.0.113.77", browser(n), ids[n % 12]) for n in range(ROTATIONS)]
        port = free_port()
        command = [shpalta, "serve", "--bind", f"127.0.0.1:{port}", "--no-access-log"]
        command += ["--workers", str(args.workers)]
        with serving(command, env, port, data_dir / "serve.log") as base:
            clear_of_the_half_hour()
            statuses = send_all(base, honest, args.threads)
            before = views_now(base, env, path)
            statuses_one = send_all(base, one_article, args.threads)
            after_one = views_now(base, env, path)
            statuses_many = send_all(base, many, args.threads)
            after_many = views_now(base, env, path)
        if path == "redis":
            import redis

            client = redis.Redis.from_url(BEACONS_REDIS_URL)
            keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
            if keys:
                client.delete(*keys)
    ranking = sorted(after_one.items(), key=lambda kv: -kv[1])
    place = [a for a, _ in ranking].index(target) + 1
    return {
        "path": path,
        "budgets": budgets,
        "honest_top": max(before.values()),
        "target_before": before.get(target, 0),
        "target_after": after_one.get(target, 0),
        "target_place": place,
        "one_article_added": after_one.get(target, 0) - before.get(target, 0),
        "many_articles_added": sum(after_many.values()) - sum(after_one.values()),
        "statuses": {"honest": statuses, "one": statuses_one, "many": statuses_many},
    }


def views_now(base: str, env: dict, path: str) -> dict[int, int]:
    """Views per article as «Популярне» answers them once the counts are in the database."""
    if path == "redis":
        run(env, str(BIN / "shpalta"), "popular", "flush")
    else:
        time.sleep(3)  # the workers' journals are applied every second
    status, body = http(base + "/api/popular?page_size=100")
    assert status == 200, body
    return {item["id"]: item["views"] for item in json.loads(body)["items"]}


def main() -> None:
    args = parse()
    rows = []
    for path in args.paths.split(","):
        if path == "redis" and not reachable(BEACONS_REDIS_URL):
            print(f"[redis] skipped: {BEACONS_REDIS_URL} not reachable")
            continue
        for budgets in (False, True):
            label = "after" if budgets else "before"
            print(f"[{path}, {label}] …", flush=True)
            rows.append(measure(path, budgets, args))
    load = os.getloadavg()
    print()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} (1 / 5 min)")
    print(
        f"`shpalta serve --workers {args.workers}`; honest readers give the top article "
        f"{HONEST[0]} views and the target 1; then {ROTATIONS} beacons from one address with "
        f"{ROTATIONS} user agents"
    )
    print(
        "| path | budgets | top honest article | target: views after 600 agents | its place "
        "| added by 600 agents on one article | added by 600 agents over 12 articles "
        "| stated bound |\n|---|---|---:|---:|---:|---:|---:|---|"
    )
    for r in rows:
        bound = "10 per article, 100 per site" if r["budgets"] else "none"
        print(
            f"| {r['path']} | {'on (after)' if r['budgets'] else 'off (before)'} "
            f"| {r['honest_top']} | {r['target_after']} | {r['target_place']} "
            f"| {r['one_article_added']} | {r['many_articles_added']} | {bound} |"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
