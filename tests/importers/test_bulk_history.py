"""A bulk import writes each saved article's revision (django-simple-history) with its batch,
not through a signal per row: the same revisions a one-by-one import writes, none for a post
that failed, none for a re-run."""

import pytest

from shpalta.importers.wxr import import_wxr
from shpalta.news.models import Article

from .test_wxr_bulk import TOPICS, export, post, refusing_database, small_batches  # noqa: F401

FIELDS = ("import_id", "history_type", "title", "slug", "body", "status", "published_at")


def revisions() -> list[tuple]:
    return sorted(Article.history.values_list(*FIELDS))


@pytest.mark.django_db(transaction=True)
def test_bulk_writes_the_revisions_one_by_one_writes(tmp_path, small_batches):  # noqa: F811
    path = export(tmp_path, [post(n) for n in range(1, 8)])
    import_wxr([path], one_by_one=True)
    (tmp_path / "edited").mkdir()
    edited = export(
        tmp_path / "edited", [post(1, title="Новий заголовок"), *(post(n) for n in range(2, 8))]
    )
    import_wxr([edited], one_by_one=True)
    one_by_one = revisions()
    assert [r[1] for r in one_by_one].count("~") == 1
    Article.objects.all().delete()
    Article.history.all().delete()
    import_wxr([path])
    import_wxr([edited])
    assert revisions() == one_by_one
    assert Article.history.filter(history_user=None).count() == len(one_by_one)


@pytest.mark.django_db(transaction=True)
def test_a_failed_post_and_a_rerun_leave_no_revision(
    tmp_path,
    small_batches,  # noqa: F811
    refusing_database,  # noqa: F811
):
    items = [post(n) for n in range(1, 10)]
    items[5] = post(6, title="ЗЛАМАНИЙ пост")
    path = export(tmp_path, items)
    assert import_wxr([path]).summary() == "imported 8, updated 0, skipped 0, failed 1"
    assert sorted(Article.history.values_list("import_id", flat=True)) == sorted(
        str(n) for n in range(1, 10) if n != 6
    )
    assert set(Article.history.values_list("history_type", flat=True)) == {"+"}
    import_wxr([path])
    assert Article.history.count() == 8
