"""One article's update, in few statements: what it writes is committed without waiting for the
disk on PostgreSQL (a crash may lose it whole, never part of it), the index write is two
statements there, and new terms come back from their INSERT. The lists and counts are those
the separate statements wrote (tests/related/test_updates.py, test_streamed_rebuild.py)."""

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.related import store, updates
from shpalta.related.conf import params
from shpalta.related.features import Source, extract
from shpalta.related.models import IndexState, Posting, Term

from .conftest import listed
from .stories import BRIDGE

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's commits and statements"
)
RELAXED = "SET LOCAL synchronous_commit TO OFF"


def _statements(action) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        action()
    return [query["sql"] for query in queries.captured_queries]


def _unhooked(title: str, body: str) -> Article:
    """An article saved inside the test's transaction: its update, queued for after the
    commit, never runs (each test runs it itself)."""
    return factories.article(title, body=f"<p>{body}</p>")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_update_commits_without_waiting_for_the_disk_and_a_withdrawal_waits(publish):
    first = publish(BRIDGE[0])
    second = publish(BRIDGE[1])
    Article.objects.filter(pk=second.pk).update(title="Міст Патона: ремонт триває")
    sql = _statements(lambda: updates.update(second.pk))
    relaxed = sql.index(RELAXED)
    writes = [n for n, each in enumerate(sql) if each.startswith(("WITH", "INSERT", "UPDATE"))]
    assert writes and relaxed < min(writes)  # every write of the update is in that transaction
    assert listed(first) == [second.pk]
    Article.objects.filter(pk=second.pk).update(status=Article.Status.DRAFT)
    withdrawn = _statements(lambda: updates.update(second.pk))
    assert RELAXED not in withdrawn
    assert listed(first) == []


@on_postgresql
def test_inside_an_open_transaction_the_update_leaves_its_setting_alone(publish):
    publish(BRIDGE[0])
    article = _unhooked(*BRIDGE[1])
    assert RELAXED not in _statements(lambda: updates.update(article.pk))
    assert store.indexed(article.pk) is not None


@on_postgresql
def test_the_index_write_is_the_terms_read_and_one_statement_on_postgresql(publish):
    publish(BRIDGE[0])
    article = _unhooked(*BRIDGE[1])
    config = params()
    features = extract(Source.of(article), config)
    Term.objects.bulk_create((Term(text=t, df=0) for t in features.counts), ignore_conflicts=True)
    df = dict(Term.objects.filter(text__in=features.counts).values_list("text", "df"))
    documents = IndexState.objects.get(pk=1).documents
    with transaction.atomic():
        sql = _statements(lambda: store.save_vector(article, features, config, current=None))
    assert len(sql) == 2, sql
    assert IndexState.objects.get(pk=1).documents == documents + 1
    after = dict(Term.objects.filter(text__in=features.counts).values_list("text", "df"))
    assert after == {t: n + 1 for t, n in df.items()}
    assert Posting.objects.filter(article_id=article.pk).count() == min(
        config.posting_terms, len(features.counts)
    )
    # an edit: terms it lost give their counts back, the article is not counted again
    article.title, article.body_text = "Футбол", "Динамо виграло матч у Львові."
    current = store.indexed(article.pk)
    changed = extract(Source.of(article), config)
    with transaction.atomic():
        store.save_vector(article, changed, config, current=current)
    assert IndexState.objects.get(pk=1).documents == documents + 1
    gone = set(features.counts) - set(changed.counts)
    gained = set(changed.counts) - set(features.counts)
    now = dict(Term.objects.filter(text__in=gone | gained).values_list("text", "df"))
    assert gone and {t: now[t] for t in gone} == {t: df[t] for t in gone}
    assert gained and {now[t] for t in gained} == {1}


def test_new_terms_come_back_from_their_insert():
    Term.objects.create(text="міст", df=3)
    wanted = ["міст", "патона", "ремонт"]
    sql = _statements(lambda: store.term_ids(wanted))
    found = store.term_ids(wanted)
    assert set(found) == set(wanted) and found["міст"][1] == 3
    assert found["патона"] == (Term.objects.get(text="патона").pk, 0)
    assert len(sql) == 2  # the read and the INSERT … RETURNING: no second read


def test_a_term_another_writer_created_meanwhile_is_read_again(monkeypatch):
    wanted = ["міст", "патона"]
    real_fetch = store._fetch

    def racing(sql, args):
        if sql.startswith("INSERT"):  # another transaction inserted one of them first
            Term.objects.create(text="міст", df=5)
        return real_fetch(sql, args)

    monkeypatch.setattr(store, "_fetch", racing)
    found = store.term_ids(wanted)
    assert found["міст"] == (Term.objects.get(text="міст").pk, 5)
    assert found["патона"][1] == 0


def test_times_read_back_as_microseconds_are_the_datetimes_seconds(publish):
    when = datetime(2031, 7, 4, 23, 59, 59, 999999, tzinfo=UTC)
    article = publish(BRIDGE[0], published_at=when)
    assert store.stored_seed(article.pk).published == when.timestamp()
    assert (
        store._epoch(1_700_000_000_123_457)
        == datetime(2023, 11, 14, 22, 13, 20, 123457, tzinfo=UTC).timestamp()
    )


def test_tags_and_what_is_indexed_are_read_together(publish):
    article = publish(BRIDGE[0], tags=["Київ", "Мости"])
    tags, current = store.tags_and_indexed(article.pk)
    assert sorted(tags) == sorted(article.tags.values_list("pk", flat=True))
    assert current == store.indexed(article.pk) and current is not None
    bare = factories.article("Без міток")  # neither tags nor a vector (its update never ran)
    assert store.tags_and_indexed(bare.pk) == ([], None)


def test_the_lists_showing_an_article_are_read_with_the_lists_to_write(publish):
    a, b, c = (publish(story) for story in BRIDGE)
    for wanted in ([a.pk, b.pk], [c.pk], []):
        showing, lists = store.listing_and_lists(b.pk, wanted)
        assert sorted(showing) == sorted(store.listing(b.pk)) and showing
        assert lists == store.current_links(wanted)


def test_an_update_reads_the_article_without_its_html_body(publish):
    publish(BRIDGE[0])
    article = _unhooked(*BRIDGE[1])
    sql = _statements(lambda: updates.update(article.pk))
    read = next(each for each in sql if 'FROM "news_article"' in each)
    assert '"news_article"."body_text"' in read and '"news_article"."body"' not in read
    assert store.indexed(article.pk) is not None
