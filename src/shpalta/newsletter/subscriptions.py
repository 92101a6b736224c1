"""Subscribing (double opt-in), confirming and leaving; the request limits."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import conf
from .models import Attempt, Subscriber

WINDOW = timedelta(hours=1)
# One confirmation e-mail per address per this long, however often it is entered.
ADDRESS_PAUSE = timedelta(minutes=10)
Status = Subscriber.Status


def normalise(email: str) -> str:
    return email.strip().lower()


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()
    return f"{kind}:{digest[:64]}"


def allowed(client: str) -> bool:
    """At most SHPALTA_NEWSLETTER_RATE_LIMIT requests per client an hour, across processes."""
    now = timezone.now()
    key = _key("ip", client)
    Attempt.objects.filter(at__lt=now - WINDOW).delete()
    if Attempt.objects.filter(key=key, at__gte=now - WINDOW).count() >= conf.rate_limit():
        return False
    Attempt.objects.create(key=key, at=now)
    return True


def _address_rested(email: str) -> bool:
    """No second confirmation e-mail to an address within ADDRESS_PAUSE: a form cannot be
    used to flood someone's inbox."""
    now, key = timezone.now(), _key("address", email)
    if Attempt.objects.filter(key=key, at__gte=now - ADDRESS_PAUSE).exists():
        return False
    Attempt.objects.create(key=key, at=now)
    return True


def subscribe(email: str) -> bool:
    """Whether a confirmation e-mail is due. The reader sees the same answer either way."""
    email = normalise(email)
    try:
        with transaction.atomic():
            subscriber, _ = Subscriber.objects.get_or_create(email=email)
    except IntegrityError:
        subscriber = Subscriber.objects.get(email=email)
    if subscriber.status == Status.CONFIRMED:
        return False
    return _address_rested(email)


def confirm(email: str) -> Subscriber | None:
    """The address from a valid confirmation link, now subscribed (again, after leaving)."""
    subscriber = Subscriber.objects.filter(email=normalise(email)).first()
    if subscriber is None:
        return None
    if subscriber.status != Status.CONFIRMED:
        subscriber.status, subscriber.confirmed_at = Status.CONFIRMED, timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
    return subscriber


def unsubscribe(subscriber_id: int) -> Subscriber | None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None and subscriber.status != Status.UNSUBSCRIBED:
        subscriber.status, subscriber.unsubscribed_at = Status.UNSUBSCRIBED, timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber
