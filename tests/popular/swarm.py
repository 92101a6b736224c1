"""Helper processes for test_concurrency: many processes × threads beaconing one real database.

Run as `python -m tests.popular.swarm ACTION DATA_DIR [...]` with the environment the test
gives (SHPALTA_DATA_DIR, optionally SHPALTA_REDIS_URL): every process is a separate Django
with its own connections, exactly like the workers of a production server.
"""

import json
import os
import signal
import sys
import threading
import time


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shpalta.settings")
    import django

    django.setup()


def plan(articles: list[int], readers: int, repeats: int) -> list[tuple[str, str, int]]:
    """Distinct (reader, article) views, each sent `repeats` times, in a shuffled order."""
    import random

    views = [
        (
            f"198.51.{r // 200}.{r % 200 + 1}",
            f"Mozilla/5.0 (X11; Linux x86_64) Firefox/{100 + r % 7}.0",
            a,
        )
        for r in range(readers)
        for n, a in enumerate(articles)
        if (r * 7 + n) % 4 != 0
    ]
    sent = views * repeats
    random.Random(5).shuffle(sent)
    return sent


def expected(articles: list[int], readers: int) -> dict[int, int]:
    counts = dict.fromkeys(articles, 0)
    for _, _, article in set(plan(articles, readers, 1)):
        counts[article] += 1
    return counts


def create(n_articles: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from shpalta.news import factories

    ids = [factories.article(f"Стаття для навали {n}").pk for n in range(n_articles)]
    print(json.dumps(ids))


def send(spec: dict) -> None:
    """Send this process's share of the plan from several threads, all starting together."""
    from django.test import Client

    sent = plan(spec["articles"], spec["readers"], spec["repeats"])
    mine = sent[spec["index"] :: spec["processes"]]
    threads = spec["threads"]
    barrier = threading.Barrier(threads)
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(part):
        client = Client()
        barrier.wait()
        codes = []
        for ip, agent, article in part:
            response = client.post(
                "/api/views",
                data=json.dumps({"article": article}),
                content_type="application/json",
                REMOTE_ADDR=ip,
                HTTP_USER_AGENT=agent,
            )
            codes.append(response.status_code)
        with lock:
            statuses.extend(codes)

    while time.time() < spec["start_at"]:
        time.sleep(0.005)
    began = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(mine[t::threads],)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    seconds = round(time.perf_counter() - began, 3)
    print(json.dumps({"sent": len(statuses), "statuses": sorted(set(statuses)), "s": seconds}))
    if spec.get("crash"):
        # Die the hard way: no atexit flush, no cleanup; the journal must survive this.
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)


def flush_until(stop_file: str) -> None:
    from shpalta.popular import counters

    flushes = 0
    while not os.path.exists(stop_file):
        flushes += counters.flush().flushes
        time.sleep(0.01)
    print(json.dumps({"flushes": flushes}))


def totals() -> None:
    from shpalta.popular import counters
    from shpalta.popular.models import HourlyViews

    counters._database_counter.background = False
    summary = counters.flush()
    result: dict[int, int] = {}
    for article_id, views in HourlyViews.objects.values_list("article_id", "views"):
        result[article_id] = result.get(article_id, 0) + views
    print(json.dumps({"totals": result, "final_flush": summary.as_dict()}))


if __name__ == "__main__":
    setup_django()
    action, *args = sys.argv[1:]
    if action == "create":
        create(int(args[0]))
    elif action == "send":
        send(json.loads(args[0]))
    elif action == "flush-until":
        flush_until(args[0])
    elif action == "totals":
        totals()
    else:
        raise SystemExit(f"unknown action {action}")
