"""Search latency at 100,000 and 1,000,000 articles (SQLite FTS5) and 100,000 (PostgreSQL).

Synthetic articles: ~300 words each (title 10, lead 20, body 270) drawn from a sample of the
Ukrainian dictionary's word forms (pymorphy3-dicts-uk) with a Zipf distribution (s = 1), so the
commonest words occur in nearly every article, as `і`, `що`, `України` do in real news.
They go through the real path: the analyser builds each search document (every candidate lemma,
exact forms) and the backend indexes it, spread over five years of publication dates.

Measured per query: parse + candidates + ranking + first page + count, i.e. everything search
does except fetching and rendering ten articles. Query classes: `common` (one of the 100 most
frequent words), `mid` (ranks 100–10,000), `rare` (10,000+), `two words` (a common and a mid).
Baseline in the same run: a stock FTS5 table (unicode61, detail=full) of the same texts
answering the common words with `ORDER BY bm25 LIMIT 10`.

    .venv/bin/python bench/search_speed.py         # default (~5 min): 20k SQLite + baseline, 20k PG
    .venv/bin/python bench/search_speed.py --full  # the issue's sizes: 100k and 1M SQLite, 100k PG
                                                   # (hours on 2 cores, a ~10 GB file at 1M;
                                                   # stock baseline at 100k, --baseline-all: 1M)
    .venv/bin/python bench/search_speed.py --sizes 100000 --postgres-size 100000
    # a million rows on both engines from 20,000 analysed articles copied 50 times, kept in
    # DIR for the next run (PostgreSQL ~15 min to build on 2 busy cores, SQLite ~1.5 hours):
    .venv/bin/python bench/search_speed.py --sizes 20000 --sqlite-copies --postgres-size 20000 \
        --copies 50 --keep DIR --pg-url postgres://…/DB

Each configuration runs in its own process (its own database). A database kept (--keep) from
before search migration 0005 gets PostgreSQL's words index (words + publication weeks) built by
that migration when the run starts: about 2-3 minutes at a million rows on 2 cores. The
latency of a shared 2-core machine follows its load: each row prints the load average and, on
PostgreSQL, the server's CPU per query, which moves far less with it. Writes
bench/results/search_speed.json.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _support import setup_django

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "search_speed.json"
WORDS_CACHE = ROOT / "var" / "bench" / "uk_word_sample.txt"
PG_URL = "postgres://postgres@127.0.0.1:5432/shpalta_bench"
VOCABULARY = 100_000
CHUNK = 2_000
SPAN_SECONDS = 5 * 365 * 86400
START = 1_600_000_000  # 2020-09-13


# --- word list and synthetic articles -----------------------------------------------------


def word_sample() -> list[str]:
    """Every 23rd distinct word form of the dictionary, shuffled once (cached in var/)."""
    if WORDS_CACHE.exists():
        return WORDS_CACHE.read_text(encoding="utf-8").split()
    import random

    import pymorphy3

    morph = pymorphy3.MorphAnalyzer(lang="uk")
    seen, words = set(), []
    for i, (word, *_) in enumerate(morph.dictionary.iter_known_words()):
        if i % 23 == 0 and word not in seen and word.isalpha():
            seen.add(word)
            words.append(word)
    random.Random(1).shuffle(words)
    WORDS_CACHE.parent.mkdir(parents=True, exist_ok=True)
    WORDS_CACHE.write_text("\n".join(words[:VOCABULARY]), encoding="utf-8")
    return words[:VOCABULARY]


def zipf_probabilities(n: int):
    import numpy as np

    p = 1.0 / np.arange(1, n + 1)
    return p / p.sum()


def articles(chunk: int, words: list[str], size: int):
    """Chunk `chunk` of synthetic articles as (id, title, lead, body, published_at)."""
    from datetime import UTC, datetime

    import numpy as np

    rng = np.random.default_rng(chunk)
    first = chunk * CHUNK + 1
    count = min(CHUNK, size - chunk * CHUNK)
    picks = rng.choice(len(words), size=(count, 300), p=zipf_probabilities(len(words)))
    rows = []
    for k in range(count):
        w = [words[i] for i in picks[k]]
        pk = first + k
        moment = datetime.fromtimestamp(START + SPAN_SECONDS * pk // size, UTC)
        title = " ".join(w[:10]).capitalize()
        rows.append((pk, title, " ".join(w[10:30]) + ".", " ".join(w[30:]) + ".", moment))
    return rows


def build_chunk(args):
    """Runs in a worker process: the analyser's part of indexing."""
    chunk, size = args
    from types import SimpleNamespace

    from shpalta.search import documents

    words = word_sample()
    rows = articles(chunk, words, size)
    docs = [
        documents.build(
            SimpleNamespace(
                pk=pk, title=t, lead=le, body_text=b, published_at=at, category_id=pk % 12 + 1
            )
        )
        for pk, t, le, b, at in rows
    ]
    return docs, rows


# --- one configuration, in its own process -------------------------------------------------


def ensure_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def shifted(docs, rows, k: int, size: int):
    """Copy `k` of analysed articles: ids `k * size` further on, published `k` seconds later
    (the original dates are thousands of seconds apart, so the copies keep their spread)."""
    from dataclasses import replace
    from datetime import timedelta

    later = timedelta(seconds=k)
    return (
        [replace(d, article_id=d.article_id + k * size, published_at=d.published_at + later)
         for d in docs],
        [(pk + k * size, t, le, b, at + later) for pk, t, le, b, at in rows],
    )  # fmt: skip


def index_all(size: int, baseline: bool, copies: int = 1) -> dict:
    """Analyse `size` articles and index them; with `copies` > 1 (SQLite), index each chunk
    that many times over at other ids (as replicate_postgres does), so a million-row FTS5 file
    takes the inserts' time, not the analyser's hours."""
    from multiprocessing import get_context

    from django.db import connection, transaction

    from shpalta.search.backends import get_backend

    backend = get_backend()
    backend.clear()
    if baseline:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS stock_fts")
            cursor.execute("CREATE VIRTUAL TABLE stock_fts USING fts5(title, lead, body)")
    chunks = [(c, size) for c in range((size + CHUNK - 1) // CHUNK)]
    started = time.perf_counter()
    insert_seconds = baseline_seconds = 0.0
    # forked workers must not inherit the open connection: one closing or writing on the shared
    # socket breaks the parent's (PostgreSQL: "lost synchronization with server")
    connection.close()
    with get_context("fork").Pool(2) as pool:
        for n, (analysed, original) in enumerate(pool.imap(build_chunk, chunks), 1):
            for k in range(copies):
                docs, rows = shifted(analysed, original, k, size) if k else (analysed, original)
                t = time.perf_counter()
                with transaction.atomic():
                    backend.index(docs)
                insert_seconds += time.perf_counter() - t
                if baseline:
                    t = time.perf_counter()
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.executemany(
                            "INSERT INTO stock_fts(rowid, title, lead, body) VALUES (%s,%s,%s,%s)",
                            [r[:4] for r in rows],
                        )
                    baseline_seconds += time.perf_counter() - t
            if n % max(1, 50 // copies) == 0:
                done = n * CHUNK * copies
                rate = done / (time.perf_counter() - started)
                print(f"  … {done:,} indexed, {rate:,.0f} articles/s", file=sys.stderr, flush=True)
    total = time.perf_counter() - started - baseline_seconds
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_document")
    return {
        "index_seconds": total,
        "insert_seconds": insert_seconds,
        "rate": size * copies / total,  # analyser + backend, the baseline table's inserts excluded
    }


def replicate_postgres(size: int, copies: int) -> dict:
    """Grow a PostgreSQL index of `size` analysed articles to `size * copies` by copying its
    rows at other ids, each copy one second later than its original (so the dates keep their
    spread and every word's document frequency grows `copies`-fold), then rebuild the indexes
    and the statistics. A million analysed articles would take this machine hours; copying
    takes minutes. Query classes keep their meaning: a word's share of articles is unchanged."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_document")
        if cursor.fetchone()[0] == size * copies:  # kept from an earlier run (--keep)
            cursor.execute("ANALYZE search_document")
            return {"copies": copies, "copy_seconds": 0.0}
        cursor.execute("DELETE FROM search_document WHERE article_id > %s", [size])
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_document' "
            "AND indexname <> 'search_document_pkey'"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            """INSERT INTO search_document (article_id, published_at, category_id, vector,
                title_vector, lead_vector, forms)
            SELECT article_id + k * %s, published_at + k * interval '1 second', category_id,
                vector, title_vector, lead_vector, forms
            FROM search_document, generate_series(1, %s) AS k WHERE article_id <= %s""",
            [size, copies - 1, size],
        )
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            cursor.execute(definition)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_document")
    return {"copies": copies, "copy_seconds": time.perf_counter() - started}


def query_sets(words: list[str], per_class: int) -> dict[str, list[str]]:
    import random

    rng = random.Random(7)
    common, mid, rare = words[:100], words[100:10_000], words[10_000:]
    return {
        "common": [rng.choice(common) for _ in range(per_class)],
        "mid": [rng.choice(mid) for _ in range(per_class)],
        "rare": [rng.choice(rare) for _ in range(per_class)],
        "two words": [f"{rng.choice(common)} {rng.choice(mid)}" for _ in range(per_class)],
    }


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
        "max_ms": ordered[-1],
        "n": len(ordered),
    }


def server_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend process (a server on this machine, as
    in the bench), from /proc; None on SQLite or where it cannot be read. Clock ticks (10 ms):
    meaningful as a sum over many queries."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def time_queries(sets: dict[str, list[str]]) -> dict:
    from django.utils import timezone

    from shpalta.search import query as query_module
    from shpalta.search.backends import Filters, get_backend
    from shpalta.search.service import RankedMatches

    backend = get_backend()

    cpu: list[float] = []

    def run(text: str) -> float:
        started, cpu_started = time.perf_counter(), time.process_time()
        matches = RankedMatches(backend, query_module.parse(text), Filters(now=timezone.now()))
        matches[0:10]
        cpu.append((time.process_time() - cpu_started) * 1000)
        return (time.perf_counter() - started) * 1000

    for text in sets["common"][:10]:  # warm the statement and page caches
        run(text)
    out = {}
    for name, texts in sets.items():
        server = server_cpu_seconds()
        out[name] = percentiles([run(q) for q in texts])
        if server is not None:  # mean CPU of the PostgreSQL backend per query: immune to load
            out[name]["server_cpu_ms"] = (server_cpu_seconds() - server) * 1000 / len(texts)
    cpu.clear()
    out["all"] = percentiles([run(q) for texts in sets.values() for q in texts])
    out["all_cpu"] = percentiles(cpu)  # this process's CPU time: immune to other load
    return out


def time_baseline(words: list[str]) -> dict:
    from django.db import connection

    samples = []
    with connection.cursor() as cursor:
        for word in words:
            started = time.perf_counter()
            cursor.execute(
                "SELECT rowid FROM stock_fts WHERE stock_fts MATCH %s ORDER BY bm25(stock_fts) "
                "LIMIT 10",
                ['"' + word + '"'],
            )
            cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def time_ts_rank(sets: dict[str, list[str]], per_class: int) -> dict:
    """PostgreSQL's stock answer, the in-run baseline: every match of the analyser's tsquery
    ranked by ts_rank, the ten best (what a plain `@@ … ORDER BY ts_rank` search does)."""
    from django.db import connection

    from shpalta.search import query as query_module
    from shpalta.search.backends.postgres import tsquery

    out = {}
    with connection.cursor() as cursor:
        for name, texts in sets.items():
            samples = []
            for text in texts[:per_class]:
                q = tsquery(query_module.parse(text))
                started = time.perf_counter()
                cursor.execute(
                    "SELECT article_id FROM search_document WHERE vector @@ %s::tsquery "
                    "ORDER BY ts_rank(vector, %s::tsquery) DESC LIMIT 10",
                    [q, q],
                )
                cursor.fetchall()
                samples.append((time.perf_counter() - started) * 1000)
            out[name] = percentiles(samples)
    return out


def planner_latency(sets: dict[str, list[str]], per_class: int) -> dict:
    """The same searches with the plan left to PostgreSQL's planner, as before search chose it
    per query (the former code path: no estimate, no switches)."""
    from django.db import connection

    from shpalta.search.backends import postgres as pg

    def planner_rows(sql, params, index_first):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    chosen = pg.planned_rows, pg.estimate
    # the walk's statement (ORDER BY … LIMIT) with the planner choosing how to answer it
    pg.planned_rows, pg.estimate = planner_rows, lambda *args, **kwargs: 10**12
    try:
        return time_queries({name: texts[:per_class] for name, texts in sets.items()})
    finally:
        pg.planned_rows, pg.estimate = chosen


def explain_candidates(sets: dict[str, list[str]]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the newest-candidates query for one query of each class,
    with the plan search chooses and with the other one (stderr)."""
    from django.utils import timezone

    from shpalta.search import query as query_module
    from shpalta.search.backends import Filters
    from shpalta.search.backends import postgres as pg

    for name, texts in sets.items():
        query = query_module.parse(texts[0])
        condition, params = pg.where(query, Filters(now=timezone.now()))
        estimate = pg.estimated_rows(condition, params)
        chosen = estimate <= pg.index_first_limit()
        sql = (
            f"EXPLAIN (ANALYZE, BUFFERS) SELECT article_id, published_at FROM search_document "
            f"WHERE {condition} ORDER BY published_at DESC, article_id DESC LIMIT 300"
        )
        for index_first in (chosen, not chosen):
            plan = pg.planned_rows(sql, params, index_first)
            label = "index first" if index_first else "ordered walk"
            mark = "chosen" if index_first == chosen else "other"
            print(f"--- {name} «{texts[0]}» (estimate {estimate:,} rows): {label}, {mark}",
                  file=sys.stderr)  # fmt: skip
            print("\n".join(row[0] for row in plan), file=sys.stderr)


def worker(args) -> None:
    """Index (unless --keep already holds this size's index) and time the queries."""
    data_dir = args.keep or tempfile.mkdtemp(prefix="shpalta-search-bench-")
    sqlite_copies = args.copies if args.worker == "sqlite" else 1
    label = f"{args.size}x{sqlite_copies}" if sqlite_copies > 1 else f"{args.size}"
    name = f"{data_dir}/sqlite-{label}.sqlite3"
    saved = Path(f"{data_dir}/{args.worker}-{label}.index.json")
    reuse = bool(args.keep) and saved.exists()
    if args.worker == "sqlite":
        url = f"sqlite:///{name}"
        if not reuse:
            Path(name).unlink(missing_ok=True)
    else:
        url = args.pg_url
        ensure_pg_database(url)
    setup_django(data_dir, SHPALTA_DATABASE_URL=url, SHPALTA_LOG_LEVEL="WARNING")
    words = word_sample()
    baseline = args.baseline and args.worker == "sqlite"
    if reuse:
        indexing = json.loads(saved.read_text())
        baseline = indexing.pop("baseline")
    else:
        print(f"{args.worker} {args.size:,}: indexing…", file=sys.stderr, flush=True)
        indexing = index_all(args.size, baseline, sqlite_copies)
        saved.write_text(json.dumps({**indexing, "baseline": baseline}))
    result = {"backend": args.worker, "size": args.size * sqlite_copies, **indexing}
    if sqlite_copies > 1:
        result["analysed"] = args.size
    if args.worker == "postgres" and args.copies > 1:
        result |= replicate_postgres(args.size, args.copies)
        result["analysed"], result["size"] = args.size, args.size * args.copies
    sets = query_sets(words, args.queries)
    if args.worker == "postgres" and reuse and args.copies <= 1:
        from django.db import connection

        with connection.cursor() as cursor:  # statistics as a fresh index would have them
            cursor.execute("ANALYZE search_document")
    if args.worker == "postgres" and args.explain:
        explain_candidates(sets)
    result["latency"] = time_queries(sets)
    if args.worker == "postgres" and not args.no_baselines:
        result["baseline_ts_rank"] = time_ts_rank(sets, min(args.queries, args.baseline_queries))
        result["baseline_planner"] = planner_latency(sets, min(args.queries, args.baseline_queries))
    if baseline:
        result["baseline_common_bm25"] = time_baseline(
            sets["common"][: min(args.queries, args.baseline_queries)]
        )
    if args.worker == "sqlite":
        result["db_bytes"] = sum(
            os.path.getsize(p) for p in (name, name + "-wal") if Path(p).exists()
        )
    result["load_average"] = os.getloadavg()[0]
    print("RESULT " + json.dumps(result), flush=True)
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)


# --- the table -------------------------------------------------------------------------------


def run_config(kind: str, size: int, args) -> dict | None:
    command = [sys.executable, __file__, "--worker", kind, "--size", str(size),
               "--queries", str(args.queries), "--pg-url", args.pg_url,
               "--baseline-queries", str(args.baseline_queries)]  # fmt: skip
    if args.no_baselines:
        command.append("--no-baselines")
    if args.keep:
        command += ["--keep", args.keep]
    if args.explain:
        command.append("--explain")
    if args.copies > 1 and (kind == "postgres" or args.sqlite_copies):
        command += ["--copies", str(args.copies)]
    if args.baseline_all or size <= 100_000:
        command.append("--baseline")
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    print(f"{kind} {size}: failed ({done.returncode})", file=sys.stderr)
    return None


def pg_reachable(url: str) -> bool:
    try:
        ensure_pg_database(url)
        return True
    except Exception as error:  # noqa: BLE001
        print(f"PostgreSQL skipped: {error}", file=sys.stderr)
        return False


def print_table(results: list[dict]) -> None:
    classes = ["common", "mid", "rare", "two words", "all"]
    print(f"{'backend':10} {'articles':>10} {'index/s':>8}  "
          + "  ".join(f"{c + ' p50/p95 ms':>22}" for c in classes))  # fmt: skip
    for r in results:
        cells = "  ".join(
            f"{r['latency'][c]['p50_ms']:>10.1f} / {r['latency'][c]['p95_ms']:>7.1f}"
            for c in classes
        )
        print(f"{r['backend']:10} {r['size']:>10,} {r['rate']:>8,.0f}  {cells}")
    for r in results:
        server = [c for c in classes if "server_cpu_ms" in r["latency"].get(c, {})]
        if server:
            cells = ", ".join(f"{c} {r['latency'][c]['server_cpu_ms']:.1f}" for c in server)
            print(f"{r['backend']} {r['size']:,}: PostgreSQL backend CPU per query, mean ms "
                  f"(load average {r.get('load_average', 0):.1f}): {cells}")  # fmt: skip
    for r in results:
        cpu = r["latency"].get("all_cpu")
        if cpu and r["backend"] == "sqlite":
            print(f"{r['backend']} {r['size']:,}: load average {r.get('load_average', 0):.1f} "
                  f"during queries; all queries' CPU time in this process p50 "
                  f"{cpu['p50_ms']:.1f} ms, p95 {cpu['p95_ms']:.1f} ms")  # fmt: skip
    for r in results:
        if "baseline_common_bm25" in r:
            b = r["baseline_common_bm25"]
            print(
                f"baseline, stock FTS5 ORDER BY bm25 LIMIT 10, common words, {r['size']:,}: "
                f"p50 {b['p50_ms']:.1f} ms, p95 {b['p95_ms']:.1f} ms"
            )
    for r in results:
        if "baseline_planner" in r:
            b = r["baseline_planner"]
            cells = ", ".join(f"{c} {b[c]['p50_ms']:.1f} / {b[c]['p95_ms']:.1f}" for c in classes)
            print(f"baseline, PostgreSQL with the planner's own candidate plan (before), "
                  f"{r['size']:,} (p50 / p95 ms): {cells}")  # fmt: skip
    for r in results:
        if "baseline_ts_rank" in r:
            b = r["baseline_ts_rank"]
            cells = ", ".join(
                f"{c} {b[c]['p50_ms']:.1f} / {b[c]['p95_ms']:.1f}" for c in classes if c in b
            )
            print(f"baseline, PostgreSQL @@ ORDER BY ts_rank LIMIT 10, {r['size']:,} "
                  f"(p50 / p95 ms): {cells}")  # fmt: skip
    for r in results:
        if "db_bytes" in r:
            extra = " + stock baseline table" if "baseline_common_bm25" in r else ""
            print(f"sqlite file at {r['size']:,} articles: {r['db_bytes'] / 1e9:.2f} GB "
                  f"(search index{extra})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="20000", help="SQLite sizes, comma-separated")
    parser.add_argument("--postgres-size", type=int, default=20_000, help="0 skips PostgreSQL")
    parser.add_argument("--full", action="store_true", help="100k + 1M SQLite, 100k PostgreSQL")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--queries", type=int, default=100, help="queries per class")
    parser.add_argument(
        "--baseline-queries",
        type=int,
        default=30,
        help="queries per class for the baselines (ts_rank takes seconds a common word at 1M)",
    )
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--baseline-all", action="store_true", help="stock FTS5 at every size")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-baselines",
        action="store_true",
        help="PostgreSQL: skip the ts_rank and planner baselines (minutes at a million)",
    )
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="PostgreSQL: analyse --postgres-size articles, then copy them this many times over "
        "(1,000,000 = 20,000 x 50 in minutes instead of hours)",
    )
    parser.add_argument(
        "--sqlite-copies",
        action="store_true",
        help="SQLite too: each size in --sizes analysed once and indexed --copies times over",
    )
    parser.add_argument(
        "--explain", action="store_true", help="PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) per class"
    )
    parser.add_argument(
        "--keep", metavar="DIR", help="keep the indexes in DIR and reuse them on the next run"
    )
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if args.full:
        args.sizes, args.postgres_size = "100000,1000000", 100_000
    word_sample()  # build the cache once, before workers fork
    configs = [("sqlite", int(s)) for s in args.sizes.split(",")]
    if args.postgres_size and not args.no_postgres and pg_reachable(args.pg_url):
        configs.append(("postgres", args.postgres_size))
    results = []
    for kind, size in configs:  # each row is printed and saved as soon as it is measured
        result = run_config(kind, size, args)
        if result:
            results.append(result)
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(json.dumps(results, indent=2))
            print_table([result])
    print(
        f"\nmachine: {os.cpu_count()} cores, load average at the end "
        f"{os.getloadavg()[0]:.1f}; per query: parse + candidates + rank + first page + count"
    )
    print_table(results)


if __name__ == "__main__":
    main()
