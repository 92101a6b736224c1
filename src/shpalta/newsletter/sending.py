"""Sending an issue in batches, with one delivery record per recipient.

Each batch is claimed (its records marked `sending`) and each message is marked `sent` the
moment the SMTP server accepts it, in recipient order. A sender that dies mid-batch leaves at
most one record whose fate is unknown: the first `sending` one of its batch, which may have
reached the server. The sender that resumes the issue marks that one `unknown` (never mailed
twice) and puts the rest of the batch, never attempted, back in the queue.

One sender per issue at a time: it holds the issue (its token and a time it renews); another
takes over only after SHPALTA_NEWSLETTER_STALE_SECONDS of silence.
"""

import logging
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from . import conf, digest, tokens
from .models import Delivery, Issue, Subscriber

logger = logging.getLogger("shpalta.newsletter")
D = Delivery.Status
ENROL_CHUNK = 2000


class Busy(Exception):
    """Another sender holds the issue and is alive."""


def unsubscribe_url(subscriber_id: int) -> str:
    token = tokens.unsubscribe_token(subscriber_id)
    return settings.SITE_URL + reverse("newsletter:unsubscribe", args=[token])


def message(issue: Issue, subscriber_id: int, email: str) -> EmailMultiAlternatives:
    """One recipient's copy: the rendered issue with their unsubscribe link, and the RFC 8058
    headers a mail client's «Відписатися» button posts to."""
    link = unsubscribe_url(subscriber_id)
    mail = EmailMultiAlternatives(
        subject=issue.subject,
        body=issue.text.replace(digest.UNSUBSCRIBE, link),
        to=[email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    mail.attach_alternative(issue.html.replace(digest.UNSUBSCRIBE, link), "text/html")
    return mail


# -- taking the issue ---------------------------------------------------------------------------


def take(issue_id: int) -> str:
    """This sender's token for the issue; Busy when a live sender has it."""
    token, now = uuid.uuid4().hex, timezone.now()
    stale = now - timedelta(seconds=conf.stale_seconds())
    free = Q(sender="") | Q(sender_seen__lt=stale) | Q(sender_seen__isnull=True)
    with transaction.atomic():
        taken = Issue.objects.filter(free, pk=issue_id).exclude(status=Issue.Status.SENT)
        if not taken.update(sender=token, sender_seen=now):
            raise Busy(issue_id)
        _recover(issue_id)
    return token


def _recover(issue_id: int) -> None:
    """A dead sender's claimed records: the first one's fate is unknown, the rest go back."""
    claimed = Delivery.objects.filter(issue_id=issue_id, status=D.SENDING)
    first = claimed.order_by("pk").values_list("pk", flat=True).first()
    if first is None:
        return
    Delivery.objects.filter(pk=first).update(status=D.UNKNOWN, error="sender stopped mid-send")
    claimed.exclude(pk=first).update(status=D.PENDING)


def _renew(issue_id: int, token: str) -> None:
    if not Issue.objects.filter(pk=issue_id, sender=token).update(sender_seen=timezone.now()):
        raise Busy(issue_id)  # taken over after we were silent too long: stop at once


def prepare(issue: Issue) -> bool:
    """Render the issue once and enrol every confirmed subscriber; False when it is empty."""
    if issue.status == Issue.Status.DRAFT or not issue.html:
        rendered = digest.render(issue)
        if rendered is None:
            Issue.objects.filter(pk=issue.pk).update(
                status=Issue.Status.SENT, finished_at=timezone.now()
            )
            return False
        issue.html, issue.text = rendered
        issue.status = Issue.Status.SENDING
        issue.save(update_fields=["html", "text", "status"])
    _enrol(issue)
    return True


def _enrol(issue: Issue) -> None:
    """A record per confirmed subscriber (ignore_conflicts: a resumed issue keeps its own)."""
    confirmed = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    ids = confirmed.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=ENROL_CHUNK)
    chunk = []
    for subscriber_id in ids:
        chunk.append(Delivery(issue_id=issue.pk, subscriber_id=subscriber_id))
        if len(chunk) >= ENROL_CHUNK:
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
            chunk = []
    Delivery.objects.bulk_create(chunk, ignore_conflicts=True)


# -- sending ------------------------------------------------------------------------------------


def send_issue(issue_id: int) -> dict[str, int]:
    """Send (or resume) an issue to everyone enrolled; counts of what this run did."""
    counts = {"sent": 0, "failed": 0}
    if Issue.objects.filter(pk=issue_id, status=Issue.Status.SENT).exists():
        return counts  # sent already: a second run the same day mails no one
    token = take(issue_id)
    issue = Issue.objects.get(pk=issue_id)
    if prepare(issue):
        while batch := _claim_batch(issue_id, token):
            _send_batch(issue, batch, token, counts)
        _finish(issue_id, token)
    logger.info("issue %s: %s", issue_id, counts)
    return counts


def _claim_batch(issue_id: int, token: str) -> list[tuple[int, int, str]]:
    """The next batch, marked `sending`: (record id, subscriber id, address), in record order.
    Readers who left meanwhile are skipped, never mailed."""
    _renew(issue_id, token)
    queued = Delivery.objects.filter(issue_id=issue_id, status=D.PENDING).order_by("pk")
    left = queued.exclude(subscriber__status=Subscriber.Status.CONFIRMED)
    left.update(status=D.FAILED, error="unsubscribed before sending")
    rows = list(queued.values_list("pk", "subscriber_id", "subscriber__email")[: conf.batch()])
    Delivery.objects.filter(pk__in=[r[0] for r in rows]).update(status=D.SENDING)
    return rows


def _send_batch(issue: Issue, batch, token: str, counts: dict[str, int]) -> None:
    """A lost server stops the run: the batch's unsent records go back to the queue (the one
    in flight, maybe delivered, is `unknown`) and the issue is free for the next run."""
    connection = get_connection(fail_silently=False)
    done = 0
    try:
        connection.open()
        for delivery_id, subscriber_id, email in batch:
            outcome = _send_one(connection, message(issue, subscriber_id, email))
            Delivery.objects.filter(pk=delivery_id).update(
                status=D.SENT if outcome is None else D.FAILED,
                sent_at=timezone.now(),
                error=outcome or "",
            )
            counts["sent" if outcome is None else "failed"] += 1
            done += 1
            if done % 50 == 0:
                _renew(issue.pk, token)
    except (smtplib.SMTPException, OSError):
        _give_back([row[0] for row in batch[done:]], in_flight=done > 0 or _was_open(connection))
        release(issue.pk, token)
        raise
    finally:
        connection.close()


def _was_open(connection) -> bool:
    return getattr(connection, "connection", None) is not None


def _give_back(delivery_ids: list[int], in_flight: bool) -> None:
    if in_flight and delivery_ids:
        Delivery.objects.filter(pk=delivery_ids[0]).update(
            status=D.UNKNOWN, error="connection lost while sending"
        )
        delivery_ids = delivery_ids[1:]
    Delivery.objects.filter(pk__in=delivery_ids).update(status=D.PENDING)


def _send_one(connection, mail) -> str | None:
    """None when the server took it; the reason when it refused this one recipient."""
    try:
        connection.send_messages([mail])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
        return str(error)[:300]
    return None


def _finish(issue_id: int, token: str) -> None:
    Issue.objects.filter(pk=issue_id, sender=token).update(
        status=Issue.Status.SENT, finished_at=timezone.now(), sender=""
    )


def release(issue_id: int, token: str) -> None:
    """A sender that stops early (the server went away) lets the next one resume at once."""
    Issue.objects.filter(pk=issue_id, sender=token).update(sender="")
