"""The daily digest: the day's most read stories and editors' picks, HTML and text in
Ukrainian, RFC 8058 unsubscribe headers, one copy per confirmed subscriber."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from shpalta.news import factories
from shpalta.newsletter import schedule
from shpalta.newsletter.models import Delivery, Issue, Pick, Subscriber
from shpalta.popular.models import HourlyViews
from tests.news.test_metadata import png

pytestmark = pytest.mark.django_db


def subscribers(*emails, status="confirmed"):
    return [Subscriber.objects.create(email=e, status=status) for e in emails]


def viewed(title, views, **fields):
    story = factories.article(title, lead=f"Лід: {title}.", **fields)
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    HourlyViews.objects.create(article=story, hour=hour, views=views)
    return story


def test_the_digest_lists_top_stories_by_views_and_the_editors_picks(mail):
    subscribers("a@example.com", "b@example.com")
    subscribers("gone@example.com", status="unsubscribed")
    subscribers("later@example.com", status="pending")
    viewed("Друга за переглядами", 10)
    viewed("Перша за переглядами", 90, cover_image=png(40, 30))
    picked = factories.article("Вибрана редакцією", lead="Редакція радить.")
    Pick.objects.create(article=picked)
    call_command("newsletter", "send")
    assert sorted(mail.recipients()) == ["a@example.com", "b@example.com"]
    [letter] = mail.to("a@example.com")
    assert letter["Subject"].strip().startswith("«Шпальта»: головне за ")
    text = letter.get_body(("plain",)).get_content()
    html = letter.get_body(("html",)).get_content()
    assert text.index("Перша за переглядами") < text.index("Друга за переглядами")
    assert text.index("ВИБІР РЕДАКЦІЇ") < text.index("Вибрана редакцією")
    assert "НАЙЧИТАНІШЕ ЗА ДОБУ" in text and "Редакція радить." in text
    assert '<html lang="uk">' in html and "Найчитаніше за добу" in html
    assert 'src="https://shpalta.example/media/covers/' in html
    assert "https://shpalta.example/novyny/persha-za-perehliadamy/" in html


def test_each_copy_carries_its_own_one_click_unsubscribe(mail):
    first, second = subscribers("a@example.com", "b@example.com")
    viewed("Новина", 5)
    call_command("newsletter", "send")
    links = []
    for subscriber in (first, second):
        [letter] = mail.to(subscriber.email)
        assert letter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = letter["List-Unsubscribe"].strip().strip("<>")
        assert link.startswith("https://shpalta.example/newsletter/unsubscribe/")
        assert link in letter.get_body(("plain",)).get_content()
        assert link in letter.get_body(("html",)).get_content()
        links.append(link)
    assert links[0] != links[1]


def test_a_second_send_the_same_day_mails_no_one_again(mail):
    subscribers("a@example.com")
    viewed("Новина", 5)
    call_command("newsletter", "send")
    call_command("newsletter", "send")
    assert mail.recipients() == ["a@example.com"]
    assert Delivery.objects.get().status == "sent"


def test_the_worker_queues_the_digest_once_at_the_configured_kyiv_time(mail, settings):
    settings.SHPALTA_NEWSLETTER_TIME = "08:30"
    subscribers("a@example.com")
    viewed("Новина", 5)
    with freeze_time("2026-12-02 06:29:00"):  # 08:29 in Kyiv
        assert schedule.queue_due_digest() == "nothing"
    with freeze_time("2026-12-02 06:31:00", tick=True):
        factories.article("Ранкова", published_at=timezone.now() - timedelta(minutes=5))
        assert schedule.queue_due_digest() == "queued"
        assert schedule.queue_due_digest() == "nothing"
    assert Issue.objects.get().day.isoformat() == "2026-12-02"


def test_nothing_is_sent_without_an_smtp_server(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    subscribers("a@example.com")
    assert schedule.queue_due_digest() == "off"
    with pytest.raises(Exception, match="SHPALTA_EMAIL_URL"):
        call_command("newsletter", "send")
