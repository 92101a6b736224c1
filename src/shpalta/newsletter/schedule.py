"""The daily digest goes out at SHPALTA_NEWSLETTER_TIME, Kyiv time, once a day.

Checked on every worker's beat (shpalta.changes.receivers): the first worker to see the time
has come creates the day's issue (unique per day, so two workers cannot both) and queues it.
An issue whose sender died is queued again once it has been silent long enough.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import conf, digest
from .models import Issue, Subscriber
from .tasks import send_issue


def due(now: datetime | None = None) -> bool:
    local = timezone.localtime(now)
    return local.time() >= conf.send_time()


def todays_digest(now: datetime | None = None) -> tuple[Issue, bool]:
    """(today's digest, whether this call created it)."""
    day = timezone.localdate(now)
    try:
        with transaction.atomic():
            issue = digest.new_digest(day)
            issue.save()
            return issue, True
    except IntegrityError:
        return Issue.objects.get(kind=Issue.Kind.DAILY, day=day), False


def queue_due_digest(now: datetime | None = None) -> str:
    """What the beat did: nothing, queued today's digest, or resumed an abandoned issue."""
    if not conf.can_send():
        return "off"
    if resume_abandoned(now):
        return "resumed"
    if (
        not due(now)
        or Issue.objects.filter(kind=Issue.Kind.DAILY, day=timezone.localdate(now)).exists()
    ):
        return "nothing"
    if not Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).exists():
        return "nothing"
    issue, created = todays_digest(now)
    if not created:
        return "nothing"
    transaction.on_commit(lambda: send_issue.enqueue(issue.pk))
    return "queued"


def resume_abandoned(now: datetime | None = None) -> bool:
    """Issues left `sending` by a sender silent for longer than the stale limit go back to
    the queue (one at a time: their own sender then takes them with a fresh claim)."""
    stale = (now or timezone.now()) - timedelta(seconds=conf.stale_seconds())
    abandoned = Issue.objects.filter(status=Issue.Status.SENDING).exclude(sender_seen__gte=stale)
    issue_id = abandoned.values_list("pk", flat=True).first()
    if issue_id is None:
        return False
    # Queued once: a fresh time stamp keeps the next beats off it, an empty sender frees it.
    Issue.objects.filter(pk=issue_id).update(sender="", sender_seen=timezone.now())
    send_issue.enqueue(issue_id)
    return True
