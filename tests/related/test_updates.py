from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time

from shpalta.news.models import Article
from shpalta.related import updates
from shpalta.related.models import ArticleVector, RelatedLink, Term

from .conftest import listed
from .stories import BRIDGE, FOOTBALL, UNRELATED, WEATHER

pytestmark = pytest.mark.django_db


def test_an_article_lists_its_topic_and_never_itself(publish):
    bridge = [publish(s) for s in BRIDGE]
    football = [publish(s) for s in FOOTBALL]
    publish(WEATHER[0])
    assert set(listed(bridge[2])) == {bridge[0].pk, bridge[1].pk}
    assert listed(football[1]) == [football[0].pk]
    for article in (*bridge, *football):
        assert article.pk not in listed(article)


def test_a_new_article_enters_its_neighbours_lists(publish):
    first = publish(BRIDGE[0])
    publish(FOOTBALL[0])
    assert listed(first) == []
    second = publish(BRIDGE[1])
    assert listed(first) == [second.pk]  # nobody recomputed `first`: the update inserted it


@override_settings(SHPALTA_RELATED_SIZE=1)
def test_a_new_article_replaces_a_neighbours_weakest_entry_only_when_stronger(publish):
    old = publish(BRIDGE[0])
    weaker = publish(BRIDGE[2])
    assert listed(old) == [weaker.pk]
    stronger = publish(BRIDGE[1])
    before = RelatedLink.objects.get(article=old)
    assert listed(old) == [stronger.pk]
    assert before.score > 0
    publish(FOOTBALL[0])  # unrelated: leaves the list alone
    assert listed(old) == [stronger.pk]


def test_with_a_small_archive_the_list_is_short_not_padded(publish):
    article = publish(BRIDGE[0])
    publish(FOOTBALL[0])
    publish(WEATHER[0])
    publish(UNRELATED)
    assert listed(article) == []


def test_drafts_are_not_indexed_nor_listed(publish):
    shown = publish(BRIDGE[0])
    draft = publish(BRIDGE[1], status=Article.Status.DRAFT)
    assert not ArticleVector.objects.filter(pk=draft.pk).exists()
    assert listed(shown) == [] and listed(draft) == []


def test_unpublishing_takes_an_article_out_of_every_list(publish, commit):
    a, b, c = (publish(s) for s in BRIDGE)
    assert b.pk in listed(a)
    with commit():
        b.status = Article.Status.DRAFT
        b.save()
    assert b.pk not in listed(a) and b.pk not in listed(c)
    assert listed(b) == []
    assert not ArticleVector.objects.filter(pk=b.pk).exists()


def test_deleting_an_article_gives_back_its_document_counts(publish, commit):
    a, b = publish(BRIDGE[0]), publish(BRIDGE[1])
    term = Term.objects.get(text="патон")
    assert term.df == 2
    with commit():
        b.delete()
    term.refresh_from_db()
    assert term.df == 1
    assert listed(a) == []


def test_scheduled_articles_join_lists_only_when_they_go_live(publish):
    now = timezone.now()
    old = publish(BRIDGE[0])
    later = publish(BRIDGE[1], published_at=now + timedelta(hours=2))
    assert later.pk not in listed(old)
    assert set(listed(later)) == {old.pk}  # its own list is ready for when it appears
    with freeze_time(now + timedelta(hours=3)):
        publish(FOOTBALL[0])  # any later update catches up with what has gone live
        assert later.pk in listed(old)


def test_an_edit_that_changes_the_topic_moves_the_article(publish, commit):
    a, b = publish(BRIDGE[0]), publish(BRIDGE[1])
    football = publish(FOOTBALL[0])
    assert listed(a) == [b.pk]
    title, body = FOOTBALL[1]
    with commit():
        b.title, b.body = title, f"<p>{body}</p>"
        b.save()
    assert listed(a) == []
    assert listed(b) == [football.pk]
    assert listed(football) == [b.pk]


def test_saving_without_changes_does_not_recompute(publish):
    a = publish(BRIDGE[0])
    assert updates.update(a.pk) == "unchanged"
    assert updates.update(a.pk, force=True) == "published"


def test_tags_and_category_count_as_features(publish):
    a = publish(BRIDGE[0], tags=["Мости"])
    b = publish(FOOTBALL[0], tags=["Мости"])
    untagged = publish(FOOTBALL[1])
    vector = ArticleVector.objects.get(pk=a.pk)
    tag_term = Term.objects.get(text=f"#tag:{a.tags.get().pk}")
    assert tag_term.df == 2
    assert vector.counts  # the tag is one of the article's terms
    assert RelatedLink.objects.filter(article=untagged, related=b).exists()


def test_weights_of_a_young_archive_are_brought_up_to_date(publish):
    first = publish(BRIDGE[0])
    assert ArticleVector.objects.get(pk=first.pk).weighed_at == 1
    for story in (*BRIDGE[1:], *FOOTBALL, *WEATHER):
        publish(story)
    assert ArticleVector.objects.get(pk=first.pk).weighed_at >= 3
    assert not updates.has_stale()


def test_a_republished_copy_is_not_listed_beside_its_original(publish):
    original = publish(BRIDGE[0])
    neighbour = publish(BRIDGE[1])
    title, body = BRIDGE[0]
    copy = publish(("Кличко: столиця відремонтує міст Патона сама", body))
    assert original.pk not in listed(copy) and copy.pk not in listed(original)
    shown = set(listed(neighbour)) & {original.pk, copy.pk}
    assert len(shown) == 1  # the neighbour shows the story once
