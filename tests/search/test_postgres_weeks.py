"""PostgreSQL's words index carries each article's publication week (backends/postgres.py,
WEEK_FUNCTION): a slice of the newest weeks is one GIN scan, bounded by the weeks, and finds
what the whole index finds; its week terms cover exactly the weeks asked, in few terms."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from shpalta.news import factories
from shpalta.search import query as query_module
from shpalta.search.backends import Filters
from shpalta.search.backends import postgres as pg

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's words index only"
)


def covered(terms: str) -> list[int]:
    """The weeks a `weeks_since` tsquery matches, in order."""
    weeks = []
    for term in terms.split(" | "):
        size, block = term.strip("'#").split(":")
        weeks += range(int(block) * int(size), (int(block) + 1) * int(size))
    return weeks


@pytest.mark.parametrize("seed", range(5))
def test_week_terms_cover_every_week_from_the_first_and_nothing_before(seed):
    rng = random.Random(seed)
    for _ in range(200):
        since = datetime(1960, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(2 * 10**9))
        until = since + timedelta(days=rng.choice([0, 1, 6, 7, 30, 400, 3000]))
        terms = pg.weeks_since(since, until)
        first, last = pg.week(since), pg.week(until)
        if last - first + 1 > pg.MAX_SLICE_WEEKS:
            assert terms is None
            continue
        weeks = covered(terms)
        assert weeks[0] == first  # nothing older than the slice's first week
        assert weeks == list(range(first, weeks[-1] + 1)) and weeks[-1] >= last  # no gap
        assert weeks[-1] - last < 64  # past `until` by less than one block
        assert len(terms.split(" | ")) <= 7 + 7 + (last - first) // 64 + 1


def test_a_week_is_floored_before_1970_as_after():
    assert pg.week(datetime(1970, 1, 1, tzinfo=UTC)) == 0
    assert pg.week(datetime(1969, 12, 31, 23, 59, tzinfo=UTC)) == -1
    assert pg.week(datetime(1970, 1, 8, tzinfo=UTC)) == 1
    assert pg.weeks_since(datetime(1969, 12, 31, tzinfo=UTC), datetime(1970, 1, 2, tzinfo=UTC)) \
        == "'#1:-1' | '#64:0'"  # fmt: skip


@on_postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    ["1969-12-25 12:00:00+00", "1970-01-01 00:00:00+00", "2024-05-05 23:59:59+03",
     "2025-09-01 00:00:00+00", "2026-12-04 05:00:00-11"],
)  # fmt: skip
def test_the_database_names_a_moment_s_weeks_as_python_does(moment):
    """In any session time zone (the function is IMMUTABLE: an index built in one zone is read
    in another)."""
    n = pg.week(datetime.fromisoformat(moment))
    expected = sorted([f"'#1:{n}'", f"'#8:{n // 8}'", f"'#64:{n // 64}'"])
    with connection.cursor() as cursor:
        for zone in ("UTC", "Pacific/Kiritimati", "America/Adak"):
            cursor.execute(f"SET LOCAL TIME ZONE '{zone}'")
            cursor.execute("SELECT search_week(%s::timestamptz)::text", [moment])
            (lexemes,) = cursor.fetchone()
            assert sorted(lexemes.split()) == expected


@pytest.fixture
def archive():
    """300 articles, one every 9 hours (about 16 weeks): «парламент» in every second text
    (and in the title of every tenth article), «посуха» in every third (words of one reading
    each: the planner's rules take the readings of a word as independent)."""
    for n in range(300):
        words = ["парламент"] * (n % 2 == 0) + ["посуха"] * (n % 3 == 0)
        title = f"Новина {n} про парламент" if n % 10 == 0 else f"Новина {n}"
        body = f"<p>Текст {' і '.join(words) or 'новини'}.</p>"
        factories.article(title, body=body, age=timedelta(hours=9 * n + 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
    for remembered in (pg.lemma_statistics, pg.index_size, pg.time_bounds):
        remembered.forget()


def statements(monkeypatch) -> list[tuple[str, list]]:
    recorded, chosen = [], pg.planned_rows

    def recording(sql, params, index_first):
        recorded.append((sql, params))
        return chosen(sql, params, index_first)

    monkeypatch.setattr(pg, "planned_rows", recording)
    return recorded


@on_postgres
@pytest.mark.django_db
def test_a_slice_of_weeks_finds_what_the_whole_index_finds(archive, monkeypatch):
    """50 matches of both words; with 10 candidates asked the newest weeks hold them, and the
    words index answers the words and the weeks in one scan."""
    monkeypatch.setattr(pg, "CANDIDATES", 10)
    monkeypatch.setattr(pg, "SLICE_MATCHES", 15)
    monkeypatch.setattr(pg, "TITLE_SLICE_MATCHES", 1)  # the older titles' slice: not all
    query, filters = query_module.parse("парламент посуха"), Filters(now=timezone.now())
    monkeypatch.setattr(pg, "SLICE_FROM", 10**9)
    whole = pg.PostgresBackend()._placed(query, filters)
    assert len(whole) == 10
    monkeypatch.setattr(pg, "SLICE_FROM", 10)
    recorded = statements(monkeypatch)
    assert pg.PostgresBackend()._placed(query, filters) == whole
    (sql, params), *_ = recorded
    assert "search_week(published_at) @@" in sql
    (weeks,) = [covered(p) for p in params if isinstance(p, str) and p.startswith("'#")]
    assert 0 < len(weeks) < 16 * 7 and weeks[0] > pg.week(timezone.now() - timedelta(days=112))
    with transaction.atomic(), connection.cursor() as cursor:
        # 300 rows cost the planner about the same by any index: it is left only this one
        # (undone with the test's transaction)
        cursor.execute("DROP INDEX search_document_category, search_document_recent")
        plan = "\n".join(row[0] for row in pg.planned_rows("EXPLAIN " + sql, params, True))
    assert "search_document_words" in plan, plan
    index_scan = plan[plan.index("Bitmap Index Scan on search_document_words") :]
    assert "search_week(published_at) @@" in index_scan.split("\n")[1]  # its Index Cond


@on_postgres
@pytest.mark.django_db
def test_a_slice_with_too_few_matches_asks_the_whole_index(archive, monkeypatch):
    monkeypatch.setattr(pg, "CANDIDATES", 20)
    monkeypatch.setattr(pg, "SLICE_MATCHES", 1)  # a slice far too short for 20
    query, filters = query_module.parse("парламент посуха"), Filters(now=timezone.now())
    monkeypatch.setattr(pg, "SLICE_FROM", 10)
    recorded = statements(monkeypatch)
    found = pg.PostgresBackend()._placed(query, filters)
    assert len(recorded) == 2 and "search_week" in recorded[0][0]
    assert "search_week" not in recorded[1][0]
    monkeypatch.setattr(pg, "SLICE_FROM", 10**9)
    assert found == pg.PostgresBackend()._placed(query, filters)


@on_postgres
@pytest.mark.django_db
def test_title_matches_are_counted_within_the_text_matches(archive):
    """A word in the title is in the text: 300 / 30 = 10 matches have «парламент» in the
    title and «посуха» in the text. The planner, multiplying independent shares, expects half
    that; `titled_matches`, which sizes the older title matches' slice, expects them all."""
    query, filters = query_module.parse("парламент посуха"), Filters(now=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_document WHERE " + pg.where(query, filters, True)[0],
            pg.where(query, filters, True)[1],
        )
        (real,) = cursor.fetchone()
    assert real == 10
    assert pg.titled_matches(query, filters) == pytest.approx(real, abs=1)
    assert pg.estimate(query, filters, titles_only=True) == pytest.approx(real / 2, abs=1)


@on_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("in_transaction", [False, True])
def test_candidate_statements_run_without_workers_or_jit_and_put_them_back(in_transaction):
    settings = "SELECT current_setting('max_parallel_workers_per_gather'), current_setting('jit')"
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 3")
        cursor.execute(settings)
        before = cursor.fetchone()
    assert before[0] == "3"
    try:
        if in_transaction:
            with transaction.atomic():
                assert pg.planned_rows(settings, [], True) == [("0", "off")]
                with connection.cursor() as cursor:
                    cursor.execute(settings)
                    assert cursor.fetchone() == before
        else:
            assert pg.planned_rows(settings, [], False) == [("0", "off")]
        with connection.cursor() as cursor:
            cursor.execute(settings)
            assert cursor.fetchone() == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")
