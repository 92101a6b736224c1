"""Search quality on real Ukrainian news: Shpalta vs the same FTS without lemmas vs SQL LIKE.

The 846 texts of ../shared/data/uk-news/articles.jsonl become published articles (through
save(), so Shpalta's index follows them as on a live site). Queries are built automatically:
for sampled articles, words of the title are inflected into forms that do NOT occur verbatim
anywhere in that article (pymorphy3's paradigm of the reading the analyser picks), one word or
two per query — what a reader types when they remember the story, not its wording. The
article (and any other part with the same title) is the relevant answer.

Systems, each returning its top 10:
- Shpalta: the real search service (lemma index, field/exact-form/freshness ranking);
- FTS5 without lemmas: a stock FTS5 table (unicode61) of title and text, words AND-ed,
  `ORDER BY bm25` with the title weighted 10:1;
- SQL LIKE, the WordPress way: every word as `%word%` in title or text (case-insensitive, as
  MySQL's collations are), ordered title-matches first, then newest.

Reports recall@10 and MRR@10 per query kind. Writes bench/results/search_quality.json.

    .venv/bin/python bench/search_quality.py [--articles 400] [--seed 1] [--bulk]

`--bulk` writes the articles through the importers' bulk path (shpalta import wxr's) instead of
one save() each: the figures must be the same.
"""

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _support import setup_django

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "uk-news" / "articles.jsonl"
RESULTS = ROOT / "bench" / "results" / "search_quality.json"
TOP = 10


def published_at(row: dict, index: int) -> datetime:
    raw = row.get("date") or ""
    try:
        if len(raw) >= 10:
            return datetime.fromisoformat(raw[:10]).replace(tzinfo=UTC) + timedelta(hours=12)
        if len(raw) == 4:
            return datetime(int(raw), 6, 1, tzinfo=UTC) + timedelta(hours=index % 5000)
    except ValueError:
        pass
    return datetime(2019, 1, 1, tzinfo=UTC) + timedelta(hours=index)


def load(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    for i, row in enumerate(rows):
        row["published_at"] = published_at(row, i)
        row["title"] = (row["title"] or row["text"][:80]).strip()[:300]
    return rows


def import_in_bulk(rows: list[dict]) -> dict[int, dict]:
    """The same articles through the importers' bulk path (pipeline.run_bulk: batches, search
    documents a batch at a time), as `shpalta import wxr` writes an archive."""
    from django.utils.html import escape

    from shpalta.importers.items import Item
    from shpalta.importers.pipeline import Options, finish_bulk, run_bulk
    from shpalta.news.models import Article

    items = [
        Item(
            source="bench",
            import_source="bench",
            import_id=str(i),
            title=row["title"],
            body="".join(f"<p>{escape(p)}</p>" for p in row["text"].split("\n") if p.strip()),
            published_at=row["published_at"],
        )
        for i, row in enumerate(rows)
    ]
    options = Options()
    report = run_bulk(items, options)
    finish_bulk(options)
    assert report.failed == 0, report.errors
    ids = dict(Article.objects.values_list("import_id", "pk"))
    return {ids[str(i)]: row for i, row in enumerate(rows) if str(i) in ids}


def create_articles(rows: list[dict]) -> dict[int, dict]:
    from django.utils.html import escape

    from shpalta.news.models import Article

    by_pk = {}
    for row in rows:
        body = "".join(f"<p>{escape(p)}</p>" for p in row["text"].split("\n") if p.strip())
        article = Article.objects.create(
            title=row["title"],
            body=body,
            status=Article.Status.PUBLISHED,
            published_at=row["published_at"],
        )
        by_pk[article.pk] = row
    return by_pk


# --- queries ---------------------------------------------------------------------------------


def inflections(word: str) -> list[str]:
    """Other forms of the word's likeliest reading (the analyser's lemma)."""
    from shpalta.text.lemmas import lemma, morph

    target = lemma(word)
    for parse in morph().parse(word.lower()):
        if parse.normal_form == target and parse.score > 0:
            return list(dict.fromkeys(f.word for f in parse.lexeme))
    return []


def title_words(title: str) -> list[str]:
    from shpalta.text.analyser import content_tokens

    return [
        t.surface
        for t in content_tokens(title)
        if len(t.norm) >= 4 and t.norm.isalpha() and not t.is_number
    ]


def build_queries(by_pk: dict[int, dict], sample: int, seed: int) -> list[dict]:
    from shpalta.text.analyser import normalise, tokenise

    rng = random.Random(seed)
    by_title: dict[str, set[int]] = {}
    for pk, row in by_pk.items():
        by_title.setdefault(row["title"].lower(), set()).add(pk)
    pks = sorted(by_pk)
    rng.shuffle(pks)
    queries = []
    for pk in pks[:sample]:
        row = by_pk[pk]
        present = {t.norm for t in tokenise(row["title"] + "\n" + row["text"])}
        options = []
        for word in title_words(row["title"]):
            forms = [f for f in inflections(word) if normalise(f).lower() not in present]
            if forms:
                options.append(rng.choice(forms))
        if not options:
            continue
        relevant = by_title[row["title"].lower()]
        queries.append({"kind": "one word", "q": rng.choice(options), "relevant": relevant})
        if len(options) >= 2:
            pair = rng.sample(options, 2)
            queries.append({"kind": "two words", "q": " ".join(pair), "relevant": relevant})
    return queries


# --- the three systems -----------------------------------------------------------------------


def shpalta(q: str) -> list[int]:
    from shpalta.search import service

    return [r.article.pk for r in service.search(q, page_size=TOP, suggestions=False).results]


def build_baselines(by_pk: dict[int, dict]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE plain_fts USING fts5(title, body)")
        cursor.execute(
            "CREATE TABLE plain_like (id INTEGER PRIMARY KEY, title TEXT, body TEXT, at TEXT)"
        )
        for pk, row in by_pk.items():
            cursor.execute(
                "INSERT INTO plain_fts(rowid, title, body) VALUES (%s, %s, %s)",
                [pk, row["title"], row["text"]],
            )
            cursor.execute(
                "INSERT INTO plain_like VALUES (%s, %s, %s, %s)",
                [pk, row["title"].lower(), row["text"].lower(), row["published_at"].isoformat()],
            )


def plain_fts(q: str) -> list[int]:
    from django.db import connection

    words = [w for w in q.split() if w]
    match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM plain_fts WHERE plain_fts MATCH %s "
            "ORDER BY bm25(plain_fts, 10.0, 1.0) LIMIT %s",
            [match, TOP],
        )
        return [r[0] for r in cursor.fetchall()]


def sql_like(q: str) -> list[int]:
    """WordPress's WP_Query search: every term in title or content; title matches first."""
    from django.db import connection

    words = [w.lower() for w in q.split() if w]
    patterns = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                for w in words]  # fmt: skip
    where = " AND ".join(
        "(title LIKE %s ESCAPE '\\' OR body LIKE %s ESCAPE '\\')" for _ in patterns
    )
    in_title = " AND ".join("title LIKE %s ESCAPE '\\'" for _ in patterns)
    params = [p for p in patterns for _ in (0, 1)] + patterns + [TOP]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM plain_like WHERE {where} "  # noqa: S608
            f"ORDER BY ({in_title}) DESC, at DESC LIMIT %s",
            params,
        )
        return [r[0] for r in cursor.fetchall()]


SYSTEMS = {"Shpalta": shpalta, "FTS5 without lemmas": plain_fts, "SQL LIKE (WordPress)": sql_like}


def evaluate(queries: list[dict], systems: dict = SYSTEMS) -> dict:
    results = {}
    for name, system in systems.items():
        per_kind: dict[str, dict] = {}
        started = time.perf_counter()
        for query in queries:
            ranked = system(query["q"])
            rank = next((i for i, pk in enumerate(ranked, 1) if pk in query["relevant"]), None)
            for kind in (query["kind"], "all"):
                stats = per_kind.setdefault(kind, {"n": 0, "hits": 0, "rr": 0.0})
                stats["n"] += 1
                stats["hits"] += rank is not None
                stats["rr"] += 1 / rank if rank else 0.0
        elapsed = time.perf_counter() - started
        results[name] = {
            kind: {"queries": s["n"], "recall@10": s["hits"] / s["n"], "mrr@10": s["rr"] / s["n"]}
            for kind, s in per_kind.items()
        }
        results[name]["ms_per_query"] = 1000 * elapsed / len(queries)
    return results


def fresh_postgres(url: str) -> None:
    """Drop and create the database named in `url` (it must be one this bench may empty)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--articles", type=int, default=400, help="articles sampled for queries")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--bulk", action="store_true", help="write the articles through the bulk import path"
    )
    parser.add_argument(
        "--pg-url",
        help="Shpalta on this PostgreSQL database instead (emptied first; no SQLite baselines)",
    )
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} is missing: the benchmark reads ../shared/data beside the checkout")
    data_dir = tempfile.mkdtemp(prefix="shpalta-search-quality-")
    if args.pg_url:
        fresh_postgres(args.pg_url)
    setup_django(
        data_dir,
        SHPALTA_DATABASE_URL=args.pg_url or f"sqlite:///{data_dir}/quality.sqlite3",
        SHPALTA_LOG_LEVEL="WARNING",
    )
    rows = load(args.data)
    by_pk = (import_in_bulk if args.bulk else create_articles)(rows)
    if not args.pg_url:
        build_baselines(by_pk)
    queries = build_queries(by_pk, args.articles, args.seed)
    if args.pg_url:
        from django.db import connection

        with connection.cursor() as cursor:  # statistics, as a site's autovacuum keeps them
            cursor.execute("ANALYZE search_document")
    results = evaluate(queries, {"Shpalta": shpalta} if args.pg_url else SYSTEMS)
    kinds = ["one word", "two words", "all"]
    written = "the bulk import path" if args.bulk else "save() one by one"
    print(f"articles written through {written}")
    print(f"{len(rows)} real articles, {len(queries)} queries (inflected title words absent "
          f"from their article), top {TOP}")  # fmt: skip
    print(f"{'system':22} " + " ".join(f"{k + ' R@10 / MRR':>24}" for k in kinds) + "  ms/query")
    for name, r in results.items():
        cells = " ".join(f"{r[k]['recall@10']:>14.3f} / {r[k]['mrr@10']:.3f}" for k in kinds)
        print(f"{name:22} {cells}  {r['ms_per_query']:8.1f}")
    examples = [q["q"] for q in queries[:8]]
    print("sample queries: " + ", ".join(examples))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"queries": len(queries), "results": results, "sample": examples},
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
