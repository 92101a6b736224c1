"""Editors' own issues and picks, from the admin: a one-off issue is written and sent to every
confirmed reader (its HTML sanitised); the article list's action puts stories into the digest."""

import pytest
from django.utils import timezone

from shpalta.news import factories
from shpalta.newsletter.models import Issue, Pick, Subscriber

pytestmark = pytest.mark.django_db


def test_an_editor_writes_a_one_off_issue_and_sends_it(
    staff_client, mail, django_capture_on_commit_callbacks
):
    Subscriber.objects.create(email="a@example.com", status="confirmed")
    Subscriber.objects.create(email="p@example.com", status="pending")
    added = staff_client.post(
        "/admin/newsletter/issue/add/",
        {
            "subject": "Спецвипуск до Дня незалежності",
            "body": "<p>Привіт!</p><script>x()</script><p>Друге.</p>",
        },
    )
    assert added.status_code == 302
    issue = Issue.objects.get()
    assert issue.kind == "one_off" and issue.status == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/newsletter/issue/",
            {"action": "send_now", "_selected_action": [issue.pk]},
        )
    [letter] = mail.to("a@example.com")
    assert mail.recipients() == ["a@example.com"]
    assert letter["Subject"].strip() == "Спецвипуск до Дня незалежності"
    html = letter.get_body(("html",)).get_content()
    assert "<p>Привіт!</p>" in html and "<script>" not in html
    assert "Привіт!\r\n\r\nДруге." in letter.get_body(("plain",)).get_content()
    listing = staff_client.get("/admin/newsletter/issue/").content.decode()
    assert "1 / 1" in listing  # sent / enrolled


def test_the_article_list_action_picks_stories_for_todays_digest(staff_client):
    story = factories.article("Вибрана")
    answer = staff_client.post(
        "/admin/news/article/",
        {"action": "pick_for_digest", "_selected_action": [story.pk]},
        follow=True,
    )
    assert "До розсилки додано 1 статтю" in answer.content.decode()
    assert Pick.objects.get().day == timezone.localdate()
