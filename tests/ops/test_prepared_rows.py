"""`Prepared.rows()` (ops.prepared): a values_list() queryset's tuples read with one cursor,
equal to the plain queryset's, converters (dates, JSON) applied, one query in the log."""

from datetime import timedelta

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.ops.prepared import Prepared, Slot
from shpalta.related.models import RelatedLink
from shpalta.related.queries import LIST_ROWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    now = timezone.now()
    story = factories.article("Головна")
    others = [
        factories.article(f"Схожа {n}", published_at=now - timedelta(hours=n)) for n in range(4)
    ]
    others.append(factories.article("Завтрашня", published_at=now + timedelta(days=1)))
    for rank, other in enumerate(others):
        RelatedLink.objects.create(article=story, related=other, rank=rank, score=0.5)
    return story


def plain_list(story):
    return list(
        RelatedLink.objects.filter(article_id=story.pk)
        .order_by("rank")
        .values_list(
            "related_id", "related__status", "related__published_at", "related__updated_at",
            "related__related_item__stamp", "related__related_item__html",
        )
    )  # fmt: skip


def test_rows_equal_the_plain_querysets_with_aware_datetimes(listed):
    got = LIST_ROWS.rows(article=listed.pk)
    assert got == plain_list(listed)
    assert len(got) == 5 and all(isinstance(row, tuple) for row in got)
    assert all(row[2].tzinfo is not None and row[3].tzinfo is not None for row in got)
    assert LIST_ROWS.rows(article=0) == []


def test_rows_are_one_query_in_the_log(listed):
    LIST_ROWS.rows(article=listed.pk)
    with CaptureQueriesContext(connection) as captured:
        LIST_ROWS.rows(article=listed.pk)
    assert len(captured.captured_queries) == 1
    assert str(listed.pk) in captured.captured_queries[0]["sql"]


def test_rows_refuse_what_is_not_a_values_list_of_fields():
    models_query = Prepared(lambda: Article.objects.filter(pk=Slot("pk", models.IntegerField())))
    with pytest.raises(TypeError):
        models_query.rows(pk=1)
    annotation_first = Prepared(
        lambda: (
            Article.objects.filter(pk=Slot("pk", models.IntegerField()))
            .annotate(n=models.Value(1))
            .values_list("n", "pk")
        )
    )
    with pytest.raises(TypeError):  # the columns come fields first: the tuple would be wrong
        annotation_first.rows(pk=1)


def test_rows_read_annotations_selected_last():
    story = factories.article("Новина")
    annotated = Prepared(
        lambda: (
            Article.objects.filter(pk=Slot("pk", models.IntegerField()))
            .annotate(n=models.Value(7, output_field=models.IntegerField()))
            .values_list("pk", "title", "n")
        )
    )
    expected = list(
        Article.objects.filter(pk=story.pk)
        .annotate(n=models.Value(7, output_field=models.IntegerField()))
        .values_list("pk", "title", "n")
    )
    assert annotated.rows(pk=story.pk) == expected == [(story.pk, "Новина", 7)]


@pytest.mark.parametrize(
    "shape",
    [
        lambda qs: qs.values("pk", "title"),
        lambda qs: qs.values_list("pk", flat=True),
        lambda qs: qs.values_list("pk", "title", named=True),
    ],
    ids=["values", "flat", "named"],
)
def test_rows_refuse_other_shapes_than_plain_tuples(shape):
    prepared = Prepared(lambda: shape(Article.objects.filter(pk=Slot("pk", models.IntegerField()))))
    with pytest.raises(TypeError):
        prepared.rows(pk=1)
