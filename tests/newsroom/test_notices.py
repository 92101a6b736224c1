"""Editors hear of a story sent for review, and its author of a story sent back, by e-mail
through a real SMTP server the test starts (aiosmtpd), not a mocked backend."""

import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group, Permission

from shpalta.news import factories
from shpalta.news.models import Article
from shpalta.newsroom import workflow
from shpalta.newsroom.roles import AUTHOR, EDITOR, sync_groups
from tests.conftest import article_form

from .conftest import logged_in

# Committed transactions: the notices go out after commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """A transactional test's flush empties the groups the roles migration made; make them
    again (serialized_rollback would restore them too, but collides with the content types
    that the flush's post_migrate has already made anew)."""
    sync_groups(Group, Permission)


class Inbox:
    """What the SMTP server received: (recipients, message) per delivery."""

    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        self.mails.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler
    controller.stop()


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def text(message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset())


def test_editors_are_told_when_a_story_is_sent_for_review(people, inbox):
    story = factories.article("Про мости", status=Article.Status.DRAFT)
    workflow.started(story, people[AUTHOR])
    data = article_form(story.title, "<p>Т.</p>", status="draft", workflow_action="submit")
    logged_in(people[AUTHOR]).post(f"/admin/news/article/{story.pk}/change/", data)
    [(recipients, message)] = inbox.mails
    editors = {"user1@redakciya.test", "user2@redakciya.test", "user3@redakciya.test"}
    assert set(recipients) == editors
    assert subject(message) == "На перевірці: «Про мости»"
    assert f"/admin/news/article/{story.pk}/change/" in text(message)


def test_the_author_is_told_why_a_story_came_back(people, inbox):
    story = factories.article("Про мости", status=Article.Status.DRAFT)
    workflow.started(story, people[AUTHOR])
    workflow.submit(story, people[AUTHOR])
    inbox.mails.clear()
    data = article_form(
        story.title,
        "<p>Т.</p>",
        status="draft",
        workflow_action="return",
        return_comment="Джерело?",
    )
    logged_in(people[EDITOR]).post(f"/admin/news/article/{story.pk}/change/", data)
    [(recipients, message)] = inbox.mails
    assert recipients == ["user0@redakciya.test"]
    assert subject(message) == "Повернуто на доопрацювання: «Про мости»"
    assert "Джерело?" in text(message)


def test_a_mail_server_that_is_down_does_not_undo_the_step(people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", probe.getsockname()[1]
    story = factories.article("Про мости", status=Article.Status.DRAFT)
    workflow.started(story, people[AUTHOR])
    data = article_form(story.title, "<p>Т.</p>", status="draft", workflow_action="submit")
    response = logged_in(people[AUTHOR]).post(f"/admin/news/article/{story.pk}/change/", data)
    assert response.status_code == 302
    assert list(workflow.in_review()) == [story]
