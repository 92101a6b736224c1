"""`shpalta worker`: runs background tasks from the database queue, and survives its own death.

It is django-tasks-db's `db_worker` plus a heartbeat: tasks of workers that die mid-task are
put back in the queue by the workers still alive (see shpalta.ops.worker). Use it instead of
plain `db_worker`, whose RUNNING tasks would be treated as lost after --stale-after seconds.
"""

from django.conf import settings
from django.core.management import CommandError
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import task_backends
from django_tasks_db.management.commands import db_worker

from shpalta.ops.worker import HEARTBEAT_SECONDS, STALE_SECONDS, Heartbeat, beat


class Command(db_worker.Command):
    help = "Run background tasks (related lists, counters, feeds, search index) from the queue."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False, queue_name="*")
        for action in parser._actions:
            if action.dest == "backend_name":
                action.type = str  # checked in handle(), with advice on what to set
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=HEARTBEAT_SECONDS,
            help="Seconds between this worker's signs of life (default: %(default)s).",
        )
        parser.add_argument(
            "--stale-after",
            type=float,
            default=STALE_SECONDS,
            help="A worker silent this many seconds is dead; its tasks go back to the queue "
            "(default: %(default)s).",
        )

    def handle(self, *args, heartbeat, stale_after, **options):
        backend = task_backends[options["backend_name"]]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                f"Tasks run in-process (SHPALTA_TASKS={settings.TASKS_BACKEND}): there is no "
                "queue to work. Set SHPALTA_TASKS=database for the app servers and the worker."
            )
        if stale_after <= heartbeat * 2:
            raise CommandError("--stale-after must be well above --heartbeat (3x or more).")
        beat(options["worker_id"])
        pulse = Heartbeat(options["worker_id"], every=heartbeat, stale_after=stale_after)
        pulse.start()
        try:
            super().handle(*args, **options)
        finally:
            pulse.stop()
