"""Speed of "Більше подібного": one newly published article at 10k / 100k / 1M articles, and a
full `shpalta related rebuild` (time and peak memory).

The archives are synthetic but shaped like news: every article copies the term distribution of
one of the 846 real Ukrainian texts in ../shared/data/uk-news (keeping ~70% of its lemmas with
their counts), adds terms drawn by document frequency from the whole real corpus, and two rare
"names" from a pool growing with the archive, so posting lists of common words grow with the
archive as they do on a real site. The index is written by the rebuild's own writer; the stored
lists are computed by the rebuild's own code up to 100k articles, and at 1M filled with 8
entries from the same topic (computing them all would take about an hour on this machine).

Timed, for real Ukrainian articles (not in the archive) published one after another:
- "publish" = the `update_related` task body: analyse the text, index it, find candidates,
  score, store its list, insert it into its neighbours' lists (`updates.update`).
- its phases, measured separately on other articles: analysis, index write, candidate
  generation + exact scoring, list writes.
- baseline measured in the same run: reading a stored list as the article page does, and a
  primary-key read of one article.
- recall@8 of the stored list against exhaustive scoring of every article (same scores, no
  candidate generation), showing what the inverted-index shortcut loses.

The rebuild is run as `shpalta related rebuild` in a child process over an archive whose
articles carry real sentences (so the analyser does its real work); peak memory is the child's
maximum resident set size. Default sizes keep the run to a few minutes; `--full` runs 10k,
100k and 1M and the rebuild at 100k. Writes bench/results/related_speed.json.

How long (2 shared cores): building the 10k archive takes 2-3 minutes; 100k about 20 minutes
(its stored lists are computed); 1M several hours, and the rebuild at 100k half an hour plus
as long again for the in-memory baseline (`--no-in-memory` skips it). `--database URL` times
the publishes on PostgreSQL (its tables are emptied; no rebuild), and `--retime DIR`
(with `--database` for PostgreSQL) times them again on an archive an earlier run kept with
`--data-dir DIR`.
"""

import argparse
import atexit
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from _support import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "data" / "uk-news" / "articles.jsonl"
RESULTS = ROOT / "bench" / "results" / "related_speed.json"
PUBLISHES = 30
WARMUP = 3
BATCH = 5000
LIST_FILL_ABOVE = 100_000  # larger archives get topic-filled lists instead of computed ones


QUIET = ("django_tasks", "pymorphy3")  # their INFO lines would bury the tables


class RealCorpus:
    """The 846 real texts, analysed once: templates for synthetic articles and new articles."""

    def __init__(self):
        from shpalta.related.conf import params
        from shpalta.related.features import Source, extract

        rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
        self.rows = rows
        config = params()
        self.features = [extract(Source(r["title"], "", r["text"]), config) for r in rows]
        self.vocabulary: dict[str, int] = {}
        self.templates = []
        for features in self.features:
            ids = np.fromiter(
                (self.vocabulary.setdefault(t, len(self.vocabulary)) for t in features.counts),
                np.int64,
            )
            counts = np.fromiter(features.counts.values(), np.float64)
            self.templates.append((ids, counts))
        df = np.bincount(np.concatenate([t for t, _ in self.templates]))
        self.background = df / df.sum()
        self.sentences = [
            [s.strip() + "." for s in r["text"].split(".") if len(s.strip()) > 20] for r in rows
        ]


def synthetic_terms(real: RealCorpus, rng, n: int, rare_pool: int):
    """Term ids and counts of one synthetic article (ids beyond the real vocabulary are the
    rare names)."""
    template = int(rng.integers(len(real.templates)))
    ids, counts = real.templates[template]
    keep = rng.random(len(ids)) < 0.7
    extra = rng.choice(len(real.background), size=15, p=real.background)
    rare = len(real.vocabulary) + rng.integers(rare_pool, size=2)
    all_ids = np.concatenate([ids[keep], extra, rare])
    all_counts = np.concatenate([counts[keep], np.ones(17)])
    unique, inverse = np.unique(all_ids, return_inverse=True)
    return template, unique, np.bincount(inverse, weights=all_counts)


def build_archive(
    real: RealCorpus, size: int, with_text: bool, seed: int = 1, lists: bool = True
) -> dict:
    """Insert `size` published articles and their index; returns how long each part took."""
    from shpalta.news.models import Article
    from shpalta.related import rebuild
    from shpalta.related.conf import params
    from shpalta.related.features import EMPTY_SIGNATURE

    rng = np.random.default_rng(seed)
    config = params()
    started = time.perf_counter()
    now = datetime.now(UTC)
    span = 5 * 365 * 86400
    corpus = rebuild.Corpus()
    names = list(real.vocabulary) + [f"рідкісне{i}" for i in range(max(size // 5, 10))]
    templates = []
    pk = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for start in range(0, size, BATCH):
        batch = []
        for i in range(start, min(start + BATCH, size)):
            template, ids, counts = synthetic_terms(real, rng, size, max(size // 5, 10))
            published = now - timedelta(seconds=float(rng.integers(60, span)))
            row = real.rows[template]
            body = _synthetic_body(real, rng, template) if with_text else row["title"]
            batch.append(
                Article(
                    pk=pk,
                    title=f"{row['title'][:250]} №{i}",
                    slug=f"synthetic-{pk}",
                    body=f"<p>{body}</p>",
                    body_text=body,
                    status=Article.Status.PUBLISHED,
                    published_at=published,
                )
            )
            corpus.ids.append(pk)
            corpus.published.append(published.timestamp())
            corpus.published_at.append(published)
            signature = EMPTY_SIGNATURE.copy()
            signature[:] = rng.integers(0, 2**32 - 1, len(signature), dtype=np.uint32)
            corpus.signatures.append(signature)
            corpus.fingerprints.append("")
            corpus.terms.append(ids.astype(np.int64))
            corpus.counts.append(counts)
            templates.append(template)
            pk += 1
        Article.objects.bulk_create(batch, batch_size=BATCH)
    corpus.vocabulary = {t: i for i, t in enumerate(names)}
    articles_s = time.perf_counter() - started
    started = time.perf_counter()
    vectors = rebuild.weigh_all(corpus, config)
    if not lists:
        stored = {}
    elif size <= LIST_FILL_ABOVE:
        stored = rebuild.compute_lists(
            np.asarray(corpus.ids),
            np.asarray(corpus.published),
            np.vstack(corpus.signatures),
            vectors,
            config,
            time.time(),
        )
    else:
        stored = _topic_lists(corpus.ids, templates, rng, config.size)
    lists_s = time.perf_counter() - started
    started = time.perf_counter()
    rebuild.write(corpus, vectors, stored, time.time(), config, rebuild._silent)
    write_s = time.perf_counter() - started
    _reset_sequences(Article)
    settle()
    return {"articles_s": articles_s, "lists_s": lists_s, "index_write_s": write_s}


def _reset_sequences(model) -> None:
    """Articles were inserted with explicit ids: PostgreSQL's sequence must follow them."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def settle() -> None:
    """Fold the bulk write's WAL back into the database file, as a live site's steady state
    would have it; otherwise the first timed publishes pay for checkpointing gigabytes. On
    PostgreSQL, what a rebuild does after its write (`store.settle_tables`: VACUUM ANALYZE)."""
    from django.db import connection

    from shpalta.related import store

    store.settle_tables()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _synthetic_body(real: RealCorpus, rng, template: int) -> str:
    own = real.sentences[template] or [real.rows[template]["title"]]
    other = real.sentences[int(rng.integers(len(real.sentences)))] or own
    picked = [own[int(rng.integers(len(own)))] for _ in range(5)]
    picked += [other[int(rng.integers(len(other)))] for _ in range(2)]
    return " ".join(picked)


def _topic_lists(ids, templates, rng, size):
    by_topic: dict[int, list[int]] = {}
    for pk, template in zip(ids, templates, strict=True):
        by_topic.setdefault(template, []).append(pk)
    lists = {}
    for pk, template in zip(ids, templates, strict=True):
        pool = by_topic[template]
        picks = [pool[int(j)] for j in rng.integers(len(pool), size=size + 1)]
        entries = [p for p in dict.fromkeys(picks) if p != pk][:size]
        scores = sorted(rng.uniform(0.08, 0.5, len(entries)), reverse=True)
        lists[pk] = [(p, round(float(s), 6)) for p, s in zip(entries, scores, strict=True)]
    return lists


def new_articles(real: RealCorpus, count: int, offset: int) -> list:
    """Real texts published now (as an editor would, minus the signal: the bench times the
    task body itself)."""
    from django.db.models.signals import post_save

    from shpalta.changes.receivers import article_saved
    from shpalta.news.models import Article

    post_save.disconnect(sender=Article, dispatch_uid="changes-article-saved")
    try:
        made = []
        for n in range(count):
            row = real.rows[(offset + n * 7) % len(real.rows)]
            paragraphs = "".join(f"<p>{p}</p>" for p in row["text"].split("\n") if p)
            made.append(
                Article.objects.create(
                    title=row["title"][:300],
                    body=paragraphs,
                    status=Article.Status.PUBLISHED,
                    published_at=datetime.now(UTC) - timedelta(seconds=1),
                )
            )
        return made
    finally:
        post_save.connect(article_saved, sender=Article, dispatch_uid="changes-article-saved")


def time_publishes(real: RealCorpus, offset: int = 0) -> dict:
    from shpalta.related.tasks import update_related

    articles = new_articles(real, PUBLISHES + WARMUP, offset=offset)
    timings, cpu = [], []
    for article in articles:
        started, cpu_started = time.perf_counter(), time.process_time()
        outcome = update_related.call(article.pk)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert outcome == "published", outcome
    measured, cpu = timings[WARMUP:], cpu[WARMUP:]
    return {
        "first_ms": timings[0],
        "median_ms": statistics.median(measured),
        "p95_ms": _p95(measured),
        "max_ms": max(measured),
        "cpu_median_ms": statistics.median(cpu),
        "cpu_p95_ms": _p95(cpu),
        "load_average": os.getloadavg()[0],
        "articles": [a.pk for a in articles[WARMUP:]],
    }


def time_phases(real: RealCorpus, offset: int = 3) -> dict:
    """The same work as `updates.update`, step by step, on other new articles."""
    from django.db import transaction

    from shpalta.related import store, updates
    from shpalta.related.conf import params
    from shpalta.related.features import Source, extract
    from shpalta.related.scoring import candidates, select

    config = params()
    phases = {"analyse": [], "index write": [], "candidates + scoring": [], "list writes": []}
    for article in new_articles(real, PUBLISHES, offset=offset):
        t0 = time.perf_counter()
        features = extract(Source.of(article), config)
        t1 = time.perf_counter()
        with transaction.atomic():
            seed = store.save_vector(article, features, config)
            t2 = time.perf_counter()
            copies: set[int] = set()
            found = candidates(seed, store.DatabaseIndex(), config, time.time(), copies)
            t3 = time.perf_counter()
            store.write_lists({seed.article_id: store.as_entries(select(found, config))})
            updates.spread(seed, found, config, copies)
            t4 = time.perf_counter()
        for name, value in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            value_ms = value * 1000
            phases[name].append(value_ms)
    return {name: statistics.median(values) for name, values in phases.items()}


def time_baseline() -> dict:
    from shpalta.news.models import Article
    from shpalta.related.queries import related_articles

    ids = list(Article.objects.order_by("?").values_list("pk", flat=True)[:200])
    read, get = [], []
    for pk in ids:
        t0 = time.perf_counter()
        article = Article.objects.get(pk=pk)
        t1 = time.perf_counter()
        related_articles(article)
        t2 = time.perf_counter()
        get.append((t1 - t0) * 1000)
        read.append((t2 - t1) * 1000)
    return {"pk_read_ms": statistics.median(get), "stored_list_read_ms": statistics.median(read)}


def recall_against_exhaustive(article_ids: list[int]) -> float:
    """Share of the exhaustive top 8 that the stored list holds (same scoring rules)."""
    from scipy.sparse import csr_matrix

    from shpalta.related.conf import params
    from shpalta.related.features import jaccard
    from shpalta.related.models import ArticleVector, RelatedLink
    from shpalta.related.scoring import recency
    from shpalta.related.vectors import unpack, unpack_signature

    config = params()
    ids, published, rows, cols, vals, signatures = [], [], [], [], [], []
    for n, (pk, when, data, sig) in enumerate(
        ArticleVector.objects.values_list("pk", "published_at", "vector", "signature").iterator(
            chunk_size=10000
        )
    ):
        vector = unpack(data)
        ids.append(pk)
        published.append(when.timestamp())
        signatures.append(unpack_signature(sig))
        rows.extend([n] * len(vector.ids))
        cols.extend(vector.ids.tolist())
        vals.extend(vector.weights.tolist())
    matrix = csr_matrix((vals, (rows, cols)), shape=(len(ids), max(cols) + 1))
    ids_arr, published_arr = np.asarray(ids), np.asarray(published)
    row_of = {pk: n for n, pk in enumerate(ids)}
    now = time.time()
    hits = total = 0
    for pk in article_ids:
        n = row_of[pk]
        sims = (matrix @ matrix[n].T).toarray().ravel()
        ok = (ids_arr != pk) & (published_arr <= now) & (sims >= config.min_similarity)
        ok &= jaccard(signatures[n], np.vstack(signatures)) < config.duplicate_jaccard
        scores = np.where(ok, sims * recency(published_arr[n], published_arr, config), -1)
        best = [int(ids_arr[i]) for i in np.argsort(-scores)[: config.size] if scores[i] > 0]
        stored = set(RelatedLink.objects.filter(article_id=pk).values_list("related_id", flat=True))
        hits += len(stored & set(best))
        total += len(best)
    return hits / max(total, 1)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def run_size(real: RealCorpus, size: int, recall: bool) -> dict:
    print(f"building {size:,} articles…", flush=True)
    build = build_archive(real, size, with_text=False)
    publish = time_publishes(real)
    phases = time_phases(real)
    result = {"size": size, "build": build, "publish": publish, "phases_ms": phases}
    result["baseline"] = time_baseline()
    result["lists"] = "computed" if size <= LIST_FILL_ABOVE else "topic-filled, not computed"
    if recall:
        result["recall_at_8"] = recall_against_exhaustive(publish["articles"][:10])
    result["db_mb"] = _db_size_mb()
    from django.db import connection

    result["backend"] = connection.vendor[:8]
    return result


def _db_size_mb() -> float:
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0] / 2**20
    path = Path(settings.DATABASES["default"]["NAME"])
    files = [path, path.with_name(path.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 2**20


def run_rebuild(size: int, in_memory: bool = True) -> dict:
    """A fresh archive with real sentences (prepared by a child process), then
    `shpalta related rebuild` in another child whose peak memory is read when it exits."""
    print(f"rebuild at {size:,}: preparing articles with real text…", flush=True)
    data_dir = tempfile.mkdtemp(prefix="shpalta-rebuild-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    env = os.environ | {"SHPALTA_DATA_DIR": data_dir}
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        [python, __file__, "--prepare", data_dir, "--rebuild-size", str(size)], env=env, check=True
    )
    shpalta = str(ROOT / ".venv" / "bin" / "shpalta")
    runs = {}
    # the baseline first: the former in-memory rebuild, which analyses every text (so does the
    # streamed one after it: the baseline's write leaves no stored analysis it could reuse)
    commands = [
        ("in_memory", [python, "-c", _IN_MEMORY]),
        ("streamed", [shpalta, "related", "rebuild", "--no-progress", "--restart"]),
    ]
    for name, command in commands if in_memory else commands[1:]:
        if name == "streamed":  # stored analysis from the baseline would be reused: drop it
            subprocess.run([python, "-c", _FORGET], env=env, check=True)
        started = time.perf_counter()
        child = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        peak_main, peak_tree = _watch_memory(child)
        seconds = time.perf_counter() - started
        output = child.stdout.read()
        if child.returncode:
            sys.exit(f"rebuild ({name}) failed with status {child.returncode}")
        runs[name] = {
            "seconds": seconds,
            "peak_rss_mb": peak_main / 1024,
            "peak_tree_rss_mb": peak_tree / 1024,
            "summary": output.strip().splitlines()[-1],
        }
    idle = subprocess.run(
        [python, "-c", _IDLE], env=env, capture_output=True, text=True, check=True
    )
    return {
        "size": size,
        **runs["streamed"],
        "in_memory": runs.get("in_memory"),
        "idle_django_rss_mb": float(idle.stdout.strip()) / 1024,
        "load_average": os.getloadavg()[0],
    }


def _watch_memory(child: subprocess.Popen) -> tuple[int, int]:
    """Peak resident memory (kB) of the child itself (its VmHWM, read until it exits) and the
    largest sampled total of the child and its worker processes. ru_maxrss cannot be used:
    Linux carries a parent's peak over fork and exec into the child's figure."""
    peak_main = peak_tree = 0
    while child.poll() is None:
        tree = [child.pid, *_children(child.pid)]
        peak_main = max(peak_main, _status_kb(child.pid, "VmHWM"))
        peak_tree = max(peak_tree, sum(_status_kb(pid, "VmRSS") for pid in tree))
        time.sleep(0.1)
    return peak_main, peak_tree


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return found


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def prepare(data_dir: str, size: int) -> None:
    setup_django(data_dir, quiet=QUIET)
    build_archive(RealCorpus(), size, with_text=True, seed=2, lists=False)


_IN_MEMORY = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='shpalta.settings'; django.setup();"
    "from shpalta.related.rebuild import rebuild_in_memory;"
    "print(rebuild_in_memory(jobs=min(os.cpu_count() or 1, 4)).line())"
)
_FORGET = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='shpalta.settings'; django.setup();"
    "from shpalta.related.models import ArticleVector; ArticleVector.objects.update(fingerprint='')"
)
_IDLE = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='shpalta.settings'; django.setup();"
    "import shpalta.related.rebuild, shpalta.text.analyser as a; a.lemma('мости');"
    "from pathlib import Path; print([l.split()[1] for l in Path('/proc/self/status')"
    ".read_text().splitlines() if l.startswith('VmHWM:')][0])"
)


def retime(data_dir: str, database: str | None = None) -> None:
    """Publishing timings on an existing archive, after settling its WAL (other real texts than
    the first run's, so no article is a copy of an earlier timed one)."""
    setup_django(data_dir, migrate=False, quiet=QUIET, **_database_env(database))
    from django.db import connection

    from shpalta.related.models import IndexState

    settle()
    size = IndexState.objects.get(pk=1).documents
    real = RealCorpus()
    result = {
        "size": size,
        "publish": time_publishes(real, offset=1),
        "phases_ms": time_phases(real, offset=5),
        "baseline": time_baseline(),
        "lists": "as left by the earlier run",
        "db_mb": _db_size_mb(),
        "backend": connection.vendor[:8],
    }
    print_tables([result], None)
    path = RESULTS.with_name(f"related_speed_retime_{size}.json")
    path.write_text(json.dumps(result, indent=2))


def _database_env(url: str | None) -> dict:
    return {"SHPALTA_DATABASE_URL": url} if url else {}


def print_tables(sizes: list[dict], rebuilt: dict | None) -> None:
    header = (
        f"{'db':>8} {'articles':>10} {'publish median':>15} {'p95':>8} {'first':>8}"
        f" {'CPU p50':>8} {'p95':>6} {'load':>5} | {'analyse':>8}"
        f" {'index':>7} {'score':>7} {'lists':>7} | {'read list':>9} {'pk read':>8}"
        f" {'recall@8':>9} {'db MB':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in sizes:
        p, ph, b = r["publish"], r["phases_ms"], r["baseline"]
        recall = f"{r['recall_at_8']:.3f}" if "recall_at_8" in r else "-"
        print(
            f"{r.get('backend', 'sqlite'):>8} {r['size']:>10,} {p['median_ms']:>12.1f} ms"
            f" {p['p95_ms']:>5.1f} ms {p['first_ms']:>5.0f} ms"
            f" {p.get('cpu_median_ms', 0):>5.1f} ms {p.get('cpu_p95_ms', 0):>6.1f}"
            f" {p.get('load_average', 0):>5.1f} |"
            f" {ph['analyse']:>5.1f} ms {ph['index write']:>4.1f} ms"
            f" {ph['candidates + scoring']:>4.1f} ms {ph['list writes']:>4.1f} ms |"
            f" {b['stored_list_read_ms']:>6.2f} ms {b['pk_read_ms']:>5.2f} ms {recall:>9}"
            f" {r['db_mb']:>7.0f}"
        )
    print(
        "(publish = the update_related task body for one new article, analysis included, wall"
        " and this process's CPU (PostgreSQL's own work is not in it); load = 1-minute load"
        " average after the publishes; phases measured separately; read list / pk read = the"
        " page's stored-list query and a primary-key read, the baseline)"
    )
    for r in sizes:
        if r["lists"] != "computed":
            print(f"({r['size']:,}: neighbours' lists {r['lists']})")
    if rebuilt:
        print(
            f"\nfull rebuild at {rebuilt['size']:,} articles, streamed (`shpalta related rebuild`):"
            f" {rebuilt['seconds']:.0f} s, peak RSS {rebuilt['peak_rss_mb']:.0f} MB (with its"
            f" analysis workers: {rebuilt['peak_tree_rss_mb']:.0f} MB; an idle Django process with"
            f" the analyser loaded: {rebuilt['idle_django_rss_mb']:.0f} MB)\n"
            f"  {rebuilt['summary']}"
        )
        base = rebuilt.get("in_memory")
        if base:
            print(
                f"baseline, the former in-memory rebuild: {base['seconds']:.0f} s, peak RSS"
                f" {base['peak_rss_mb']:.0f} MB (with workers {base['peak_tree_rss_mb']:.0f} MB)"
                f"\n  {base['summary']}"
            )
        print(f"load average at the end: {rebuilt.get('load_average', 0):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="10k, 100k, 1M and rebuild at 100k")
    parser.add_argument("--sizes", default="", help="comma-separated archive sizes")
    parser.add_argument("--rebuild-size", type=int, default=0, help="articles for the rebuild")
    parser.add_argument("--no-recall", action="store_true", help="skip exhaustive recall check")
    parser.add_argument("--no-rebuild", action="store_true", help="only the publish timings")
    parser.add_argument(
        "--data-dir", help="keep the (last size's) archive here, for --retime, not in a temp dir"
    )
    parser.add_argument(
        "--no-in-memory",
        action="store_true",
        help="rebuild: skip the former in-memory rebuild (the baseline; ~1 GB and half an hour"
        " at 100k)",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="time publishes on this database (e.g. postgres://…/h2bench; its tables are"
        " emptied) instead of a throwaway SQLite file; implies --no-rebuild",
    )
    parser.add_argument("--prepare", help=argparse.SUPPRESS)  # child: archive for the rebuild
    parser.add_argument(
        "--retime",
        metavar="DATA_DIR",
        help="only time publishes again on an archive an earlier run left in DATA_DIR",
    )
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.rebuild_size)
        return
    if args.retime:
        retime(args.retime, args.database)
        return
    if not DATA.exists():
        sys.exit(f"{DATA} is missing: the benchmark reads ../shared/data beside the checkout")
    sizes = [int(s) for s in args.sizes.split(",") if s] or (
        [10_000, 100_000, 1_000_000] if args.full else [10_000]
    )
    rebuild_size = args.rebuild_size or (100_000 if args.full else 10_000)
    if args.no_rebuild or args.database:
        rebuild_size = 0
    if args.data_dir:  # kept, for --retime
        data_dir = args.data_dir
        Path(data_dir).mkdir(parents=True, exist_ok=True)
    else:
        data_dir = tempfile.mkdtemp(prefix="shpalta-related-speed-")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    setup_django(data_dir, quiet=QUIET, **_database_env(args.database))
    real = RealCorpus()
    results = []
    for size in sorted(sizes):
        from django.db import connection

        with connection.cursor() as cursor:  # every size starts from an empty archive
            for table in ("related_relatedlink", "related_posting", "related_articlevector"):
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            cursor.execute("DELETE FROM news_article")
        results.append(run_size(real, size, recall=not args.no_recall and size <= 100_000))
        print_tables(results[-1:], None)
    rebuilt = run_rebuild(rebuild_size, not args.no_in_memory) if rebuild_size else None
    print()
    print_tables(results, rebuilt)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"sizes": results, "rebuild": rebuilt}, indent=2))


if __name__ == "__main__":
    main()
