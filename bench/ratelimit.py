"""Rate limits under `shpalta serve` with several workers, without Redis: do they hold?

For each store of the embedded default (SHPALTA_RATELIMIT_STORE):
  process  each worker counts on its own (what the site did before issue 21, item 4);
  file     one small SQLite file in the data dir shared by every worker (the default now);
a throwaway site (SQLite, DEBUG off, one article) is served by `shpalta serve --workers W`, and
one client sends, inside one clock minute, SEARCHES searches (a new query each: a repeated one
would be a cached page) and BEACONS view beacons for the article (same address, same
browser), THREADS at a time. The limits are the defaults: 60 searches and 300 beacons a minute.

Then, on the same server, BEACONS more beacons each from a browser of its own (all within the
limits: the same work for both stores, so their speed differs by the store's cost). Each store
runs ROUNDS times, alternated (the machine's load moves). Last, the store's own cost per
request, in one process: `ratelimit.hit` in a loop with each
store, and the file store with PROCS processes hitting it at once (they contend on its lock).

    .venv/bin/python bench/ratelimit.py            # about 5 min
    .venv/bin/python bench/ratelimit.py --workers 5 --searches 400 --beacons 2000

Prints tables; writes bench/results/ratelimit.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _support import free_port, http, run, serving, setup_django, site_env

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results" / "ratelimit.json"
AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
CLIENT = {"X-Forwarded-For": "198.51.100.7"}  # the one client (the server trusts one proxy)
ARTICLE = "from shpalta.news import factories; print(factories.article('Ліміти під навалою').pk)"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--searches", type=int, default=400)
    parser.add_argument("--beacons", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=16, help="client threads")
    parser.add_argument("--hits", type=int, default=20000, help="store hits per cost loop")
    parser.add_argument("--procs", type=int, default=5, help="processes hitting the file at once")
    parser.add_argument("--rounds", type=int, default=2, help="server runs per store, alternated")
    parser.add_argument("--hammer", help=argparse.SUPPRESS)
    return parser.parse_args()


def in_parallel(send, count: int, threads: int) -> tuple[dict[int, int], float]:
    """Statuses of `count` calls of `send(n)` from `threads` threads, and the seconds taken."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    numbers = iter(range(count))

    def work():
        while True:
            with lock:
                n = next(numbers, None)
            if n is None:
                return
            try:
                status = send(n)
            except OSError:  # no answer in 10 s: counted as status 0
                status = 0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return statuses, time.perf_counter() - started


def start_of_a_minute(needed: float = 40) -> None:
    """Both bursts must fall in one clock minute (the limits' fixed window)."""
    left = 60 - time.time() % 60
    if left < needed:
        print(f"  waiting {left:.0f} s for the next minute …", flush=True)
        time.sleep(left + 0.2)


def serve_run(store: str, args) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"shpalta-ratelimit-{store}-") as tmp:
        data_dir = Path(tmp)
        env = site_env(
            data_dir, SHPALTA_DEBUG="0", SHPALTA_TRUSTED_PROXIES="1", SHPALTA_RATELIMIT_STORE=store
        )
        run(env, str(BIN / "shpalta"), "migrate", "--noinput", "-v0")
        article = run(env, str(BIN / "shpalta"), "shell", "-v0", "-c", ARTICLE).strip()
        port = free_port()
        command = [str(BIN / "shpalta"), "serve", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(args.workers), "--no-access-log"]
        with serving(command, env, port, data_dir / "serve.log") as base:
            # Every worker has searched once (dictionaries loaded) before the clock starts; the
            # warm-up comes from other addresses, each well within its own limit.
            in_parallel(
                lambda n: http(f"{base}/search/?q=warm{n}", **{"X-Forwarded-For": f"192.0.2.{n}"})[
                    0
                ],
                8 * args.workers,
                args.threads,
            )
            start_of_a_minute()
            searches, search_s = in_parallel(
                lambda n: http(f"{base}/search/?q=limit{n}", **CLIENT)[0],
                args.searches,
                args.threads,
            )
            body = json.dumps({"article": int(article)}).encode()
            headers = {"Content-Type": "application/json", "User-Agent": AGENT} | CLIENT
            beacons, beacon_s = in_parallel(
                lambda n: http(base + "/api/views", body, **headers)[0], args.beacons, args.threads
            )
            same_minute = time.time() % 60 > (search_s + beacon_s)
            # The same work for both stores: every beacon within the limits (a browser of its
            # own each), so the difference in speed is the store's.
            fresh, fresh_s = in_parallel(
                lambda n: http(
                    base + "/api/views", body, **(headers | {"User-Agent": f"{AGENT} {n}"})
                )[0],
                args.beacons,
                args.threads,
            )
    return {
        "store": store,
        "searches": searches,
        "search_seconds": search_s,
        "beacons": beacons,
        "beacon_seconds": beacon_s,
        "one_minute": same_minute,
        "within_limits": fresh,
        "within_limits_seconds": fresh_s,
    }


# --- the store's own cost -----------------------------------------------------------------


def hammer(spec: str) -> None:
    """In a process of its own: `hits` hits of one store, printing µs per hit."""
    store, hits, data_dir = spec.split(",")
    setup_django(data_dir, migrate=False, SHPALTA_RATELIMIT_STORE=store)
    from shpalta.ops import ratelimit

    ratelimit.hit("bench", "warm-up", 10**9, 60)
    started = time.perf_counter()
    for n in range(int(hits)):
        ratelimit.hit("bench", f"198.51.100.{n % 200}", 10**9, 60)
    elapsed = time.perf_counter() - started
    print(json.dumps({"us_per_hit": elapsed / int(hits) * 1e6}))


def cost_runs(args) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="shpalta-ratelimit-cost-") as tmp:
        me = [sys.executable, __file__, "--hammer"]
        for store, procs in (("process", 1), ("file", 1), ("file", args.procs)):
            spec = f"{store},{args.hits},{tmp}"
            running = [
                subprocess.Popen([*me, spec], stdout=subprocess.PIPE, text=True)
                for _ in range(procs)
            ]
            costs = []
            for process in running:
                out, _ = process.communicate(timeout=600)
                if process.returncode:
                    sys.exit(f"the {store} cost run failed")
                costs.append(json.loads(out.strip().splitlines()[-1])["us_per_hit"])
            rows.append({"store": store, "processes": procs, "us_per_hit": sum(costs) / procs})
    return rows


def main() -> None:
    args = parse()
    if args.hammer:
        hammer(args.hammer)
        return
    runs = []
    for round_ in range(1, args.rounds + 1):
        for store in ("process", "file"):
            print(f"[{store}, round {round_}] {args.workers} workers …", flush=True)
            runs.append(serve_run(store, args) | {"round": round_})
    print("[cost] store hits in a loop …", flush=True)
    costs = cost_runs(args)

    load = os.getloadavg()
    print()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} (1 / 5 min)")
    print(
        f"`shpalta serve --workers {args.workers}` on SQLite, no Redis; one client, "
        f"{args.threads} requests at a time; limits 60 searches and 300 beacons a minute"
    )
    print(
        "| store | round | searches passed | of | beacons passed | of | in one minute "
        "| beacons/s, all within limits (same work) |\n|---|---:|---:|---:|---:|---:|---|---:|"
    )
    for r in runs:
        fresh_ok = r["within_limits"].get(204, 0) == args.beacons
        rate = args.beacons / r["within_limits_seconds"]
        print(
            f"| {r['store']} | {r['round']} | {r['searches'].get(200, 0)} | {args.searches} "
            f"| {r['beacons'].get(204, 0)} | {args.beacons} "
            f"| {'yes' if r['one_minute'] else 'NO'} "
            f"| {rate:,.0f}{'' if fresh_ok else ' (NOT all 204)'} |"
        )
    print()
    print(f"store cost per request: {args.hits:,} hits of `ratelimit.hit` per process")
    print(
        "| store | processes at once | µs per hit | hits/s, all processes |\n|---|---:|---:|---:|"
    )
    for c in costs:
        total = c["processes"] / c["us_per_hit"] * 1e6
        print(f"| {c['store']} | {c['processes']} | {c['us_per_hit']:.1f} | {total:,.0f} |")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"serve": runs, "cost": costs}, indent=2, default=str))


if __name__ == "__main__":
    main()
