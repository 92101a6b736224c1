"""The reader's search page, in process: CPU per request, beside a baseline checkout, and
whether the two write the same HTML.

The site is a prepared archive (`--data DIR`, e.g. the 100,000-article one of bench/load.py,
with a `words.txt` of URL-quoted words beside its database). Three sets of pages: one word per
request (every word), two words (120 seeded pairs), one word with a rubric filter (every other
word, the rubrics in turn). Each checkout runs in its own process, alternately for `--rounds`
rounds, so background load on a shared machine falls on both alike; CPU time
(time.process_time) per request is reported as the median over the rounds of each round's
p50/p90/p99/mean, with the load averages.

    .venv/bin/python bench/search_page.py --data DIR [--baseline CHECKOUT] [--rounds 3]
        [--html OUTDIR]

--baseline CHECKOUT: another checkout (`git worktree add --detach CHECKOUT <commit>`) measured
in the same run. --html OUTDIR: each checkout also writes every page (the three sets, page 2,
date filters, bad dates, hostile queries and rubric values) to OUTDIR/<name>/, and the run
says whether the two sets of files are byte-identical.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve()


def child(checkout: str, data: str, html: str | None) -> None:
    """One round in this process: time every page of the three sets (and write them)."""
    import random  # noqa: PLC0415 - the child's own imports, after its sys.path is set
    import time  # noqa: PLC0415
    from urllib.parse import quote, unquote  # noqa: PLC0415

    sys.path.insert(0, str(Path(checkout) / "src"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="shpalta.settings",
        SHPALTA_DATA_DIR=data,
        SHPALTA_SECRET_KEY="x" * 50,
        SHPALTA_LOG_LEVEL="WARNING",
        SHPALTA_PAGE_CACHE="0",
        SHPALTA_SEARCH_RATE_LIMIT="100000",
        SHPALTA_ALLOWED_HOSTS="testserver",
    )
    import django  # noqa: PLC0415

    django.setup()
    from django.test import Client  # noqa: PLC0415

    from shpalta.news.models import Category  # noqa: PLC0415

    words = [unquote(w) for w in (Path(data) / "words.txt").read_text().split()]
    rng = random.Random(7)
    pairs = [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(120)]
    rubrics = list(Category.objects.values_list("slug", flat=True))
    sets = {
        "one": [f"/search/?q={quote(w)}" for w in words],
        "two": [f"/search/?q={quote(p)}" for p in pairs],
        "filtered": [
            f"/search/?q={quote(w)}&category={quote(rubrics[n % len(rubrics)])}"
            for n, w in enumerate(words[::2])
        ],
    }
    client = Client()
    if html:
        hostile = ["<script>alert(1)</script>", '"Київ"', "'війна' <b>", "vfvf", "ццц", ""]
        extra = [f"/search/?q={quote(q)}" for q in hostile]
        extra += [f"/search/?q={quote(w)}&page=2" for w in words[:20]]
        extra += [
            f"/search/?q={quote(w)}&date_from=2024-01-01&date_to=2024-06-30" for w in words[:20]
        ]  # noqa: E501
        extra += [
            f"/search/?q={quote(w)}&date_from=bad&category=%22%3E%3Cscript%3E" for w in words[:10]
        ]  # noqa: E501
        out = Path(html)
        out.mkdir(parents=True, exist_ok=True)
        for n, url in enumerate([*sets["one"], *sets["two"], *sets["filtered"], *extra]):
            response = client.get(url)
            (out / f"{n:04d}.html").write_bytes(
                f"{response.status_code} {url}\n".encode() + response.content
            )  # noqa: E501
    for url in sets["one"][:20]:
        client.get(url)  # warm: compiled queries, the rubrics, the lemma caches
    result = {"load": os.getloadavg()[0]}
    for name, urls in sets.items():
        times = []
        for url in urls:
            start = time.process_time()
            response = client.get(url)
            times.append((time.process_time() - start) * 1000)
            assert response.status_code == 200, url
        times.sort()
        n = len(times)
        result[name] = {"p50": times[n // 2], "p90": times[int(n * 0.9)],
                        "p99": times[int(n * 0.99)], "mean": statistics.mean(times)}  # fmt: skip
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--baseline")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--html")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.data, args.child[1] or None)
        return
    checkouts = {"this": str(HERE.parents[1])}
    if args.baseline:
        checkouts["baseline"] = str(Path(args.baseline).resolve())
    runs: dict[str, list[dict]] = {name: [] for name in checkouts}
    for round_ in range(args.rounds):
        for name, checkout in checkouts.items():
            html = str(Path(args.html) / name) if args.html and round_ == 0 else ""
            command = [sys.executable, str(HERE), "--data", args.data, "--child", checkout, html]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            runs[name].append(json.loads(output.strip().splitlines()[-1]))
    for name, rounds in runs.items():
        print(f"{name}: load averages {[round(r['load'], 2) for r in rounds]}")
        for kind in ("one", "two", "filtered"):
            cells = " ".join(f"{m} {statistics.median(r[kind][m] for r in rounds):6.2f}"
                             for m in ("p50", "p90", "p99", "mean"))  # fmt: skip
            print(f"  {kind:9s} CPU ms  {cells}")
    if args.html and args.baseline:
        ours, theirs = (sorted((Path(args.html) / n).iterdir()) for n in ("this", "baseline"))
        same = [
            a.name for a, b in zip(ours, theirs, strict=True) if a.read_bytes() == b.read_bytes()
        ]  # noqa: E501
        print(f"HTML: {len(same)} of {len(ours)} pages byte-identical to the baseline's")


if __name__ == "__main__":
    main()
