from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shpalta.related.models import ArticleVector, RelatedLink, Term

from .conftest import listed
from .stories import BRIDGE, FOOTBALL, WEATHER

pytestmark = pytest.mark.django_db


def test_rebuild_recomputes_everything_and_prints_a_summary(publish):
    articles = [publish(s) for s in (*BRIDGE, *FOOTBALL, *WEATHER)]
    before = {a.pk: listed(a) for a in articles}
    RelatedLink.objects.all().delete()
    ArticleVector.objects.all().delete()
    Term.objects.all().delete()
    out = StringIO()
    call_command("related", "rebuild", "--jobs", "1", stdout=out)
    line = out.getvalue().strip().splitlines()[-1]
    assert line.startswith("rebuilt 6 articles (6 live): ")
    assert "related links" in line
    after = {a.pk: listed(a) for a in articles}
    assert {k: set(v) for k, v in after.items()} == {k: set(v) for k, v in before.items()}
    assert Term.objects.get(text="патон").df == 3


def test_rebuild_with_parallel_analysis_gives_the_same_lists(publish):
    articles = [publish(s) for s in (*BRIDGE, *FOOTBALL)]
    call_command("related", "rebuild", "--jobs", "1", "--no-progress", stdout=StringIO())
    one = {a.pk: listed(a) for a in articles}
    call_command("related", "rebuild", "--jobs", "2", "--no-progress", stdout=StringIO())
    assert {a.pk: listed(a) for a in articles} == one


def test_update_command_names_missing_articles():
    with pytest.raises(CommandError, match="no article with id 12345"):
        call_command("related", "update", "12345")
