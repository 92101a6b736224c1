"""Background work: moving Redis counters to the database (see counters.RedisCounter.flush)."""

import logging

from django_tasks import task

from . import counters

log = logging.getLogger(__name__)


@task()
def flush_views() -> dict:
    """Periodic by construction: the first counted beacon after each flush interval enqueues it;
    `shpalta popular flush` (e.g. from cron) covers a site that has gone quiet."""
    try:
        summary = counters.flush()
    except Exception:
        log.exception("popular: counter flush failed; counts stay in Redis for the next flush")
        raise
    return summary.as_dict()
