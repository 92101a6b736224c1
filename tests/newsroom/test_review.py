"""Review: an author sends a story, an editor returns it with a comment or publishes it; every
step is recorded with who and when, and the queue shows its count."""

import pytest

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.newsroom import workflow
from shpalta.newsroom.models import Transition, Workflow
from shpalta.newsroom.roles import AUTHOR, EDITOR
from tests.conftest import article_form

from .conftest import logged_in

pytestmark = pytest.mark.django_db
ARTICLES = "/admin/news/article/"


def send(client, article, **fields):
    data = article_form(article.title, "<p>Текст.</p>", status="draft") | fields
    return client.post(f"{ARTICLES}{article.pk}/change/", data)


@pytest.fixture
def story(people):
    article = factories.article("Про мости", status=Article.Status.DRAFT)
    workflow.started(article, people[AUTHOR])
    return article


def test_an_author_sends_a_story_for_review_and_it_waits_in_the_queue(people, story):
    send(logged_in(people[AUTHOR]), story, workflow_action="submit")
    assert list(workflow.in_review()) == [story]
    listing = logged_in(people[EDITOR]).get(ARTICLES).content.decode()
    assert "На перевірці 1 стаття" in listing
    assert "на перевірці (1)" in listing
    queue = logged_in(people[EDITOR]).get(f"{ARTICLES}?review=review").content.decode()
    assert "Про мости" in queue


def test_the_editor_returns_it_and_the_author_reads_why(people, story):
    workflow.submit(story, people[AUTHOR])
    comment = "Додайте коментар мерії & джерело <b>"
    send(logged_in(people[EDITOR]), story, workflow_action="return", return_comment=comment)
    assert Workflow.objects.get(article=story).state == Workflow.State.RETURNED
    page = logged_in(people[AUTHOR]).get(f"{ARTICLES}{story.pk}/change/").content.decode()
    assert "Чому повернуто" in page
    assert "Додайте коментар мерії &amp; джерело &lt;b&gt;" in page
    assert "Повернуто на доопрацювання" in page


def test_a_return_without_a_comment_is_refused(people, story):
    workflow.submit(story, people[AUTHOR])
    response = send(logged_in(people[EDITOR]), story, workflow_action="return", return_comment=" ")
    assert response.status_code == 200
    assert "Напишіть авторові, що виправити." in response.content.decode()
    assert Workflow.objects.get(article=story).state == Workflow.State.REVIEW


def test_every_step_is_recorded_with_who_and_when(people, story):
    author, editor = logged_in(people[AUTHOR]), logged_in(people[EDITOR])
    send(author, story, workflow_action="submit")
    send(editor, story, workflow_action="return", return_comment="Коротше.")
    send(author, story, workflow_action="submit")
    editor.post(f"{ARTICLES}{story.pk}/change/", article_form(story.title, "<p>Текст.</p>"))
    editor.post(ARTICLES, {"action": "unpublish", "_selected_action": [story.pk]})
    steps = list(Transition.objects.order_by("at", "id").values_list("action", "actor__username"))
    assert steps == [
        ("submit", "user0"),
        ("return", "user1"),
        ("submit", "user0"),
        ("publish", "user1"),
        ("unpublish", "user1"),
    ]
    assert Transition.objects.filter(action="return").get().comment == "Коротше."
    assert Workflow.objects.get(article=story).state == Workflow.State.DRAFT
    page = editor.get(f"{ARTICLES}{story.pk}/change/").content.decode()
    assert "Знято з публікації" in page and "Надіслано на перевірку" in page


def test_the_list_shows_the_review_state(people, story):
    workflow.submit(story, people[AUTHOR])
    listing = logged_in(people[EDITOR]).get(ARTICLES).content.decode()
    assert "на перевірці</td>" in listing
