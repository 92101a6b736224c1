"""`shpalta load_demo` brings demo readers and a pick, and mails no one."""

import pytest
from django.core import mail
from django.core.management import call_command

from shpalta.newsletter.models import Pick, Subscriber

pytestmark = pytest.mark.django_db


def test_the_demo_has_confirmed_readers_and_a_pick_and_sends_nothing():
    call_command("load_demo")
    call_command("load_demo")
    assert Subscriber.objects.filter(status="confirmed").count() == 2
    assert Pick.objects.count() == 1
    assert mail.outbox == []
