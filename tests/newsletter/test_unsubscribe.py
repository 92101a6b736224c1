"""Leaving without logging in: a page with a button, and the mail client's one-click POST."""

import pytest
from django.core.management import call_command

from shpalta.news import factories
from shpalta.newsletter.models import Subscriber
from shpalta.newsletter.sending import unsubscribe_url

pytestmark = pytest.mark.django_db


def path_of(subscriber) -> str:
    return unsubscribe_url(subscriber.pk).removeprefix("https://shpalta.example")


def test_opening_the_link_asks_and_the_button_unsubscribes(client, mail):
    reader = Subscriber.objects.create(email="r@example.com", status="confirmed")
    page = client.get(path_of(reader))
    assert page.status_code == 200 and "Відписатися від розсилки?" in page.content.decode()
    reader.refresh_from_db()
    assert reader.status == "confirmed"
    done = client.post(path_of(reader))
    assert "Ви відписалися" in done.content.decode()
    reader.refresh_from_db()
    assert reader.status == "unsubscribed" and reader.unsubscribed_at


def test_one_click_unsubscribe_from_the_mail_client_needs_no_token_or_cookie(client, mail):
    reader = Subscriber.objects.create(email="r@example.com", status="confirmed")
    answer = client.post(path_of(reader), {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    reader.refresh_from_db()
    assert reader.status == "unsubscribed"


def test_a_reader_who_left_gets_no_further_digest(client, mail):
    stay = Subscriber.objects.create(email="stay@example.com", status="confirmed")
    leave = Subscriber.objects.create(email="leave@example.com", status="confirmed")
    client.post(path_of(leave), {"List-Unsubscribe": "One-Click"})
    factories.article("Новина")
    call_command("newsletter", "send")
    assert mail.recipients() == [stay.email]


def test_a_tampered_link_unsubscribes_no_one(client, mail):
    reader = Subscriber.objects.create(email="r@example.com", status="confirmed")
    assert client.post(path_of(reader)[:-3] + "xx/").status_code == 400
    reader.refresh_from_db()
    assert reader.status == "confirmed"
