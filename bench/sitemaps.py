"""Sitemaps, the news sitemap and a feed at a million articles, in-process on SQLite.

Fills a fresh SQLite database with N published articles (plus 2% drafts) by bulk SQL, then
times Django rendering each sitemap response through the test client with the page cache
off (the cost of a cache miss, what a crawler triggers after every edit). The baseline is the
same client fetching /robots.txt (a view that touches no table) in the same run. Also prints
SQLite's plan for a sitemap page, to show it is a primary-key range search, not a scan.

    .venv/bin/python bench/sitemaps.py                 # 1,000,000 articles (~2-3 min)
    .venv/bin/python bench/sitemaps.py --articles 100000
"""

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _support import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "bench" / "results"
BATCH = 20_000
DRAFT_EVERY = 50


def fill(count: int) -> float:
    """N articles, one a minute back from now, in ten categories, by executemany."""
    from django.db import connection, transaction

    from shpalta.news.models import Article, Category

    categories = [Category.objects.create(name=f"Рубрика {n}").pk for n in range(10)]
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {Article._meta.db_table} ({columns}) VALUES ({marks})"
    now = datetime.now(UTC)
    started = time.perf_counter()

    def row(n: int) -> list:
        moment = now - timedelta(minutes=count - n)
        values = {
            "title": f"Новина номер {n} про події дня",
            "slug": f"novyna-nomer-{n}",
            "lead": "Короткий виклад новини.",
            "body": "<p>Текст статті.</p>",
            "body_text": "Текст статті.",
            "category_id": categories[n % len(categories)],
            "status": "draft" if n % DRAFT_EVERY == 0 else "published",
            "published_at": moment,
            "created_at": moment,
            "updated_at": moment,
        }
        return [values.get(f.attname, "" if f.attname != "category_id" else None) for f in fields]

    with connection.cursor() as cursor:
        for start in range(1, count + 1, BATCH):
            with transaction.atomic():
                cursor.executemany(
                    sql, [row(n) for n in range(start, min(start + BATCH, count + 1))]
                )
    from shpalta.caching import versioning

    versioning.bump()
    return time.perf_counter() - started


def timed(client, path: str, repeat: int) -> dict:
    times, size, status = [], 0, None
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        size, status = len(response.content), response.status_code
    return {
        "path": path,
        "status": status,
        "ms": round(1000 * statistics.median(times), 1),
        "bytes": size,
    }


def plan(page: int) -> str:
    from django.db import connection

    from shpalta.feeds.sitemaps import ArticleSection
    from shpalta.news.models import Article

    rows = ArticleSection().in_range(Article.objects.all(), page)
    fields = ("slug", "status", "published_at", "updated_at")
    sql, params = rows.values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(str(r[-1]) for r in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shpalta-sitemaps-") as tmp:
        setup_django(
            tmp, SHPALTA_SECRET_KEY="bench-only", SHPALTA_PAGE_CACHE="0", SHPALTA_LOG_LEVEL="ERROR"
        )
        from django.conf import settings
        from django.test import Client

        print(f"filling {args.articles:,} articles…", flush=True)
        fill_seconds = fill(args.articles)
        size = settings.SHPALTA_SITEMAP_PAGE_SIZE
        pages = -(-args.articles // size)
        client = Client()
        paths = [
            ("baseline: robots.txt", "/robots.txt"),
            ("sitemap index", "/sitemap.xml"),
            ("articles page 1", "/sitemap-articles-1.xml"),
            ("articles middle page", f"/sitemap-articles-{max(1, pages // 2)}.xml"),
            ("articles last page", f"/sitemap-articles-{pages}.xml"),
            ("categories page", "/sitemap-categories-1.xml"),
            ("news sitemap (48 h)", "/news-sitemap.xml"),
            ("RSS feed", "/feed/"),
        ]
        rows = [{"name": name, **timed(client, path, args.repeat)} for name, path in paths]
        query_plan = plan(max(1, pages // 2))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\n{args.articles:,} articles ({args.articles // DRAFT_EVERY:,} drafts), "
        f"{size:,} URLs per sitemap page, SQLite, filled in {fill_seconds:.0f}s; "
        f"median of {args.repeat}, in-process, page cache off\n"
    )
    head = f"{'response':<24} {'path':<30} {'status':>6} {'ms':>9} {'bytes':>11}"
    print(head + "\n" + "-" * len(head))
    for r in rows:
        print(f"{r['name']:<24} {r['path']:<30} {r['status']:>6} {r['ms']:>9} {r['bytes']:>11,}")
    print(f"\nplan of a sitemap page: {query_plan}\npeak RSS {rss:.0f} MB")
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "articles": args.articles,
        "page_size": size,
        "fill_seconds": round(fill_seconds),
        "rows": rows,
        "plan": query_plan,
        "peak_rss_mb": round(rss),
    }
    (RESULTS / "sitemaps.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
