"""Quality of "Більше подібного" on real labelled Ukrainian news (../shared/data/uk-news).

All 846 texts go into one archive, as on a real site: the 236 BSNLP texts are labelled with the
news event they cover (ryanair, brexit, nord_stream, ec, trump, asia_bibi), the 30 Ukrainska
Pravda texts carry the site's own tags, and the 580 BRUK press texts are unlabelled distractors.

precision@8 = the share of the 8 slots of a list filled with a related article: same event
(BSNLP seeds) or at least one shared tag (UP seeds). A list shorter than 8 counts its empty
slots as misses, so showing fewer items is never rewarded; "shown" is the precision of what
is actually shown.

Site sections (what "latest in the same category" and Shpalta's category feature see) are one
per collection: Світ (BSNLP), Україна (UP), Регіони (BRUK). Labels are never given to Shpalta:
the event is not a category and tags are withheld (they are what the tag score checks).
Dates: the real publication date where the data has one; BRUK has only a year (a day within
it is drawn from the id), and undated texts (most of the 2017 BSNLP events and the UP titles)
get a date drawn uniformly from 2011-2020 by their id, so dates never leak the label.

Rows: Shpalta as stored by `shpalta related rebuild` and as stored after publishing the
articles one by one in date order through the real signals and tasks; the baselines "latest in
the same category" (the WordPress theme's block, at the time the seed was published), TF-IDF
over raw lowercased words (no lemmas, no boosts, always 8), random (mean of 20 draws); and
ablations of Shpalta. Writes bench/results/related_quality.json.
"""

import argparse
import atexit
import hashlib
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from _support import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "data" / "uk-news" / "articles.jsonl"
RESULTS = ROOT / "bench" / "results" / "related_quality.json"
K = 8
SECTIONS = {"bsnlp_slavner": "Світ", "up_titles": "Україна", "bruk_press": "Регіони"}
SPAN_START = datetime(2011, 1, 1, tzinfo=UTC)
SPAN_DAYS = 3652


def _draw(key: str, n: int) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % n


def date_of(row: dict) -> datetime:
    raw = row.get("date")
    if raw and len(raw) >= 10:
        parsed = datetime.fromisoformat(raw[:19] if "T" in raw else raw[:10])
        return parsed.replace(tzinfo=UTC) + timedelta(hours=12 if "T" not in raw else 0)
    if raw and len(raw) == 4:
        return datetime(int(raw), 1, 1, 12, tzinfo=UTC) + timedelta(days=_draw(row["id"], 365))
    return SPAN_START + timedelta(days=_draw(row["id"], SPAN_DAYS), hours=12)


def load_rows() -> list[dict]:
    if not DATA.exists():
        sys.exit(f"{DATA} is missing: the benchmark reads ../shared/data beside the checkout")
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    for row in rows:
        row["published_at"] = date_of(row)
    return rows


def create_articles(rows: list[dict], with_signals: bool) -> dict[int, dict]:
    """Articles in date order (through save(), as an editor or importer makes them); returns
    article id → row. Without signals the related index is left for `rebuild_lists`."""
    from django.db.models.signals import post_save

    from shpalta.changes.receivers import article_saved
    from shpalta.news.models import Article, Category

    sections = {d: Category.objects.get_or_create(name=n)[0] for d, n in SECTIONS.items()}
    if not with_signals:
        post_save.disconnect(sender=Article, dispatch_uid="changes-article-saved")
    by_id = {}
    try:
        for row in sorted(rows, key=lambda r: (r["published_at"], r["id"])):
            paragraphs = "".join(f"<p>{_escape(p)}</p>" for p in row["text"].split("\n") if p)
            article = Article.objects.create(
                title=row["title"][:300] or row["text"][:80],
                body=paragraphs,
                status=Article.Status.PUBLISHED,
                published_at=row["published_at"],
                category=sections[row["dataset"]],
            )
            by_id[article.pk] = row
    finally:
        if not with_signals:
            post_save.connect(article_saved, sender=Article, dispatch_uid="changes-article-saved")
    return by_id


def import_in_bulk(rows: list[dict]) -> dict[int, dict]:
    """The same articles through the importers' bulk path (pipeline.run_bulk), whose end
    rebuilds the related lists once (the default setup runs that task inline)."""
    from shpalta.importers.items import Item, TermRef
    from shpalta.importers.pipeline import Options, finish_bulk, run_bulk
    from shpalta.news.models import Article

    ordered = sorted(rows, key=lambda r: (r["published_at"], r["id"]))
    items = [
        Item(
            source="bench",
            import_source="bench",
            import_id=str(n),
            title=row["title"][:300] or row["text"][:80],
            body="".join(f"<p>{_escape(p)}</p>" for p in row["text"].split("\n") if p),
            published_at=row["published_at"],
            category=TermRef(SECTIONS[row["dataset"]], key=row["dataset"]),
        )
        for n, row in enumerate(ordered)
    ]
    options = Options()
    report = run_bulk(items, options)
    finish_bulk(options)
    assert report.failed == 0, report.errors
    ids = dict(Article.objects.values_list("import_id", "pk"))
    return {ids[str(n)]: row for n, row in enumerate(ordered) if str(n) in ids}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def stored_lists() -> dict[int, list[int]]:
    from shpalta.related.models import RelatedLink

    lists = defaultdict(list)
    for article_id, related_id in RelatedLink.objects.order_by("article_id", "rank").values_list(
        "article_id", "related_id"
    ):
        lists[article_id].append(related_id)
    return lists


# --- relevance --------------------------------------------------------------------------


def event_relevant(a: dict, b: dict) -> bool:
    return a["dataset"] == "bsnlp_slavner" and b.get("category") == a["category"]


def tag_relevant(a: dict, b: dict) -> bool:
    return bool(set(a["tags"]) & set(b.get("tags") or []))


def evaluate(lists: dict[int, list[int]], by_id: dict[int, dict]) -> dict:
    scores = {}
    for name, seeds, relevant in (
        ("event", [i for i, r in by_id.items() if r["dataset"] == "bsnlp_slavner"], event_relevant),
        ("tags", [i for i, r in by_id.items() if r["tags"]], tag_relevant),
    ):
        hits = [sum(relevant(by_id[s], by_id[r]) for r in lists.get(s, [])[:K]) for s in seeds]
        shown = [min(len(lists.get(s, [])), K) for s in seeds]
        scores[name] = {
            "per_seed": [h / K for h in hits],
            "p_at_8": sum(hits) / (K * len(seeds)),
            "shown_precision": sum(hits) / max(sum(shown), 1),
            "items": sum(shown) / len(seeds),
            "seeds": len(seeds),
        }
    return scores


# --- baselines --------------------------------------------------------------------------


def latest_in_category(by_id: dict[int, dict]) -> dict[int, list[int]]:
    lists = {}
    ordered = sorted(by_id, key=lambda i: (by_id[i]["published_at"], i))
    for seed in by_id:
        row = by_id[seed]
        same = [
            i
            for i in ordered
            if i != seed
            and by_id[i]["dataset"] == row["dataset"]
            and by_id[i]["published_at"] <= row["published_at"]
        ]
        lists[seed] = list(reversed(same[-K:]))
    return lists


def raw_tfidf(by_id: dict[int, dict]) -> dict[int, list[int]]:
    from scipy.sparse import csr_matrix

    ids = list(by_id)
    vocabulary: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for n, i in enumerate(ids):
        words = re.findall(r"\w+", f"{by_id[i]['title']} {by_id[i]['text']}".lower())
        counts = defaultdict(int)
        for w in words:
            counts[vocabulary.setdefault(w, len(vocabulary))] += 1
        for col, c in counts.items():
            rows.append(n)
            cols.append(col)
            vals.append(float(c))
    tf = csr_matrix((vals, (rows, cols)), shape=(len(ids), len(vocabulary)))
    df = np.bincount(tf.indices, minlength=len(vocabulary))
    idf = np.log((1 + len(ids)) / (1 + df)) + 1  # scikit-learn's smooth idf
    weighted = tf.multiply(idf).tocsr()
    norms = np.sqrt(weighted.multiply(weighted).sum(axis=1)).A1
    weighted = csr_matrix(weighted.multiply(1 / norms[:, None]))
    sims = (weighted @ weighted.T).toarray()
    np.fill_diagonal(sims, -1)
    return {i: [ids[j] for j in np.argsort(-sims[n])[:K]] for n, i in enumerate(ids)}


def random_lists(by_id: dict[int, dict], seed: int) -> dict[int, list[int]]:
    rng = random.Random(seed)
    ids = list(by_id)
    return {i: rng.sample([j for j in ids if j != i], K) for i in ids}


def mean_scores(runs: list[dict]) -> dict:
    return {
        name: {
            key: (
                np.mean([r[name][key] for r in runs], axis=0).tolist()
                if key == "per_seed"
                else float(np.mean([r[name][key] for r in runs]))
            )
            for key in runs[0][name]
        }
        for name in runs[0]
    }


def difference_interval(ours: list[float], theirs: list[float], draws: int = 2000) -> tuple:
    """95% bootstrap interval (resampling seeds) of the mean precision@8 difference."""
    rng = np.random.default_rng(7)
    delta = np.asarray(ours) - np.asarray(theirs)
    means = [delta[rng.integers(len(delta), size=len(delta))].mean() for _ in range(draws)]
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


# --- Shpalta variants -------------------------------------------------------------------


def shpalta_variant(**overrides) -> dict[int, list[int]]:
    """Lists computed by the rebuild code with some parameters changed (nothing is stored)."""
    from shpalta.related import rebuild
    from shpalta.related.conf import params

    config = params(**overrides)
    corpus = rebuild.analyse_all(rebuild._silent, config, jobs=2)
    vectors = rebuild.weigh_all(corpus, config)
    lists = rebuild.compute_lists(
        np.asarray(corpus.ids),
        np.asarray(corpus.published),
        np.vstack(corpus.signatures),
        vectors,
        config,
        time.time(),
    )
    return {a: [r for r, _ in entries] for a, entries in lists.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-ablations", action="store_true", help="skip the ablation rows")
    parser.add_argument(
        "--no-incremental", action="store_true", help="skip the publish-one-by-one run"
    )
    parser.add_argument(
        "--bulk", action="store_true", help="also write the articles through the bulk import path"
    )
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="shpalta-related-quality-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    setup_django(data_dir, quiet=("django_tasks", "pymorphy3"))
    from django.db import connection

    from shpalta.related.models import RelatedLink
    from shpalta.related.rebuild import rebuild_lists

    rows = load_rows()
    results: dict[str, dict] = {}
    timings = {}

    if not args.no_incremental:
        started = time.perf_counter()
        by_id = create_articles(rows, with_signals=True)
        timings["publish one by one (s)"] = time.perf_counter() - started
        results["Shpalta, published one by one"] = evaluate(stored_lists(), by_id)
        from shpalta.news.models import Article

        with connection.cursor():
            RelatedLink.objects.all().delete()
            Article.objects.all().delete()
    if args.bulk:
        started = time.perf_counter()
        by_id = import_in_bulk(rows)
        timings["bulk import, lists rebuilt at its end (s)"] = time.perf_counter() - started
        results["Shpalta, bulk import"] = evaluate(stored_lists(), by_id)
        from shpalta.importers.models import ImportedTerm, ImportRecord
        from shpalta.news.models import Article, Category

        RelatedLink.objects.all().delete()
        Article.objects.all().delete()
        ImportRecord.objects.all().delete()
        ImportedTerm.objects.all().delete()
        Category.objects.all().delete()
    by_id = create_articles(rows, with_signals=False)
    started = time.perf_counter()
    summary = rebuild_lists(jobs=2)
    timings["rebuild (s)"] = time.perf_counter() - started
    results["Shpalta, rebuilt"] = evaluate(stored_lists(), by_id)
    results["latest in the same category"] = evaluate(latest_in_category(by_id), by_id)
    results["TF-IDF over raw words"] = evaluate(raw_tfidf(by_id), by_id)
    results["random"] = mean_scores([evaluate(random_lists(by_id, s), by_id) for s in range(20)])
    if not args.no_ablations:
        for label, overrides in (
            ("  without lemmas (raw word forms)", {"lemmas": False}),
            ("  without recency", {"recency": 0.0}),
            (
                "  without title/name boosts",
                {"title_boost": 1.0, "lead_boost": 1.0, "name_boost": 1.0},
            ),
            ("  without similarity floor (always 8)", {"min_similarity": 0.0}),
        ):
            results[f"ablation:{label}"] = evaluate(shpalta_variant(**overrides), by_id)

    print_table(results)
    print(f"\n{summary.line()}")
    for key, value in timings.items():
        print(f"{key}: {value:.1f}")
    baselines = [v for k, v in results.items() if not k.startswith(("Shpalta", "ablation"))]
    verdict = all(
        results["Shpalta, rebuilt"][m]["p_at_8"] > b[m]["p_at_8"] for b in baselines for m in b
    )
    print(f"Shpalta beats every baseline on both scores: {'yes' if verdict else 'NO'}")
    ours = results["Shpalta, rebuilt"]
    intervals = {}
    for name in ("latest in the same category", "TF-IDF over raw words", "random"):
        for measure in ("event", "tags"):
            low, high = difference_interval(
                ours[measure]["per_seed"], results[name][measure]["per_seed"]
            )
            intervals[f"{name} / {measure}"] = (low, high)
            print(f"  Shpalta − {name}, {measure}: 95% interval [{low:+.3f}, {high:+.3f}]")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "results": results,
                "timings": timings,
                "beats_baselines": verdict,
                "difference_intervals": intervals,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


def print_table(results: dict) -> None:
    header = (
        f"{'method':44} {'P@8 event':>10} {'shown':>7} {'items':>6}"
        f" {'P@8 tags':>10} {'shown':>7} {'items':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, scores in results.items():
        e, t = scores["event"], scores["tags"]
        print(
            f"{name.removeprefix('ablation:'):44} {e['p_at_8']:10.3f} {e['shown_precision']:7.3f}"
            f" {e['items']:6.2f} {t['p_at_8']:10.3f} {t['shown_precision']:7.3f} {t['items']:6.2f}"
        )
    seeds = next(iter(results.values()))
    print(f"(seeds: {seeds['event']['seeds']} event-labelled, {seeds['tags']['seeds']} tagged)")


if __name__ == "__main__":
    main()
