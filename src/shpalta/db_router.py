"""Read replicas: anonymous reader requests read from the replica, everything else from the primary.

Replicas lag behind the primary. So the replica is only used where a few seconds of lag is
harmless and invisible: safe (GET/HEAD) requests of readers without a session, outside the
admin. Editors (who carry a session cookie), the admin, writes, management commands, the
task worker and the shell all read from the primary, so nobody ever reads something older
than what they just wrote. A write during a reader request pins the rest of that request to
the primary too.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

PRIMARY = "default"
REPLICA = "replica"

# Off unless a reader request turns it on: commands, workers and tests read from the primary.
_use_replica: ContextVar[bool] = ContextVar("shpalta_use_replica", default=False)

# Tables that must never be read from a lagging copy: the task queue is claimed with
# SELECT … FOR UPDATE on the primary, sessions are written on login and read right after.
PRIMARY_ONLY_APPS = {"django_tasks_database", "sessions", "ops"}


@contextmanager
def reading_from_replica(enabled: bool = True):
    """Route reads to the replica inside the block (the middleware does this per request)."""
    token = _use_replica.set(enabled)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_enabled() -> bool:
    return _use_replica.get()


class ReplicaRouter:
    """Django database router for DATABASES = {"default": primary, "replica": replica}."""

    def db_for_read(self, model, **hints):
        if _use_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        # Read-your-writes: once a request writes, its later reads see the write.
        _use_replica.set(False)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary, so objects may relate across them.
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Migrations run on the primary and reach the replica through replication.
        return db == PRIMARY


class ReplicaMiddleware:
    """Turns replica reads on for anonymous, read-only reader requests."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        with reading_from_replica(self.may_use_replica(request)):
            return self.get_response(request)

    def may_use_replica(self, request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.admin_prefix)
        )
