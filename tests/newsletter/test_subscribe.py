"""Subscribing: a form on reader pages that stay cacheable, double opt-in with a signed link
that expires, the same answer for any address, and limits per client."""

import re

import pytest
from django.core import signing
from django.core.cache import cache
from freezegun import freeze_time

from shpalta.news import factories
from shpalta.newsletter import tokens
from shpalta.newsletter.models import Subscriber

pytestmark = pytest.mark.django_db
SUBSCRIBE = "/newsletter/subscribe/"


def ask(client, email, **headers):
    return client.post(SUBSCRIBE, {"email": email}, headers=headers)


def link_in(message) -> str:
    return re.search(
        r"https://shpalta\.example(/newsletter/confirm/[^/\s]+/)", message.get_content()
    ).group(1)


def test_home_and_article_pages_carry_the_form_and_are_still_cached(client, settings):
    settings.SHPALTA_PAGE_CACHE = True
    cache.clear()
    story = factories.article()
    for path in ("/", story.get_absolute_url()):
        first = client.get(path)
        html = first.content.decode()
        assert f'action="{SUBSCRIBE}"' in html and "csrfmiddlewaretoken" not in html
        assert first["X-Page-Cache"] == "miss" and not first.cookies
        assert client.get(path)["X-Page-Cache"] == "hit"


def test_a_confirmation_link_arrives_and_subscribes_only_when_its_button_is_pressed(
    client, mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = ask(client, " Reader@Example.com ")
    assert answer.status_code == 200 and "Перевірте пошту" in answer.content.decode()
    [letter] = mail.to("reader@example.com")
    assert letter["Subject"].strip() == "Підтвердіть підписку на розсилку «Шпальта»"
    link = link_in(letter)
    page = client.get(link)
    assert "Підтвердити підписку" in page.content.decode()
    assert Subscriber.objects.get().status == "pending"
    done = client.post(link)
    assert "Підписку підтверджено" in done.content.decode()
    assert Subscriber.objects.get().status == "confirmed"


def test_the_answer_is_the_same_for_a_new_a_pending_and_a_subscribed_address(client, mail):
    Subscriber.objects.create(email="known@example.com", status="confirmed")
    Subscriber.objects.create(email="waiting@example.com")
    answers = [
        ask(client, e) for e in ("new@example.com", "known@example.com", "waiting@example.com")
    ]
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1


def test_an_expired_or_forged_link_subscribes_no_one(client, mail):
    Subscriber.objects.create(email="late@example.com")
    with freeze_time("2026-01-01 10:00"):
        token = tokens.confirm_token("late@example.com")
    assert client.post(f"/newsletter/confirm/{token}/").status_code == 400
    forged = signing.dumps("late@example.com", salt="другий")
    assert client.post(f"/newsletter/confirm/{forged}/").status_code == 400
    assert Subscriber.objects.get().status == "pending"


def test_a_post_from_another_site_is_refused(client, mail):
    assert ask(client, "a@example.com", Sec_Fetch_Site="cross-site").status_code == 403
    assert ask(client, "a@example.com", Origin="https://evil.example").status_code == 403
    assert ask(client, "a@example.com", Origin="http://testserver").status_code == 200
    assert ask(client, "b@example.com", Sec_Fetch_Site="same-origin").status_code == 200


def test_a_client_is_limited_and_an_address_gets_one_letter_in_ten_minutes(
    client, mail, settings, django_capture_on_commit_callbacks
):
    settings.SHPALTA_NEWSLETTER_RATE_LIMIT = 3
    with django_capture_on_commit_callbacks(execute=True):
        codes = [ask(client, "same@example.com").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert len(mail.to("same@example.com")) == 1
    assert "Забагато спроб" in ask(client, "x@example.com").content.decode()


def test_a_wrong_address_is_asked_again(client, mail):
    answer = ask(client, "не адреса")
    assert answer.status_code == 400 and "Адреса виглядає неправильно" in answer.content.decode()
    assert not Subscriber.objects.exists()
