"""`shpalta related rebuild|update|catchup`: maintain the "Більше подібного" lists by hand."""

import os

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from shpalta.news.models import Article

from ... import tasks, updates
from ...rebuild import rebuild_lists
from ...signals import lists_changed
from ...streamed import CHUNK


class Command(BaseCommand):
    help = "Related articles: rebuild every list, update some articles, or catch up scheduled ones."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        build = actions.add_parser("rebuild", help="Recompute the index and every related list.")
        build.add_argument(
            "--jobs",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="Processes analysing texts in parallel (default: CPUs, at most 4).",
        )
        build.add_argument("--no-progress", action="store_true", help="No progress bar.")
        build.add_argument(
            "--restart",
            action="store_true",
            help="Start an interrupted rebuild over instead of going on where it stopped.",
        )
        build.add_argument(
            "--chunk",
            type=int,
            default=CHUNK,
            help=f"Articles per committed step (default {CHUNK}).",
        )
        update = actions.add_parser("update", help="Recompute the lists of the given articles.")
        update.add_argument("ids", nargs="+", type=int)
        actions.add_parser("catchup", help="Scheduled articles now live join their neighbours.")

    def handle(self, *args, action, **options):
        if action == "rebuild":
            self._rebuild(options["jobs"], options["no_progress"], options)
        elif action == "update":
            self._update(options["ids"])
        else:
            count = updates.spread_due(limit=10**9)
            self.stdout.write(f"caught up {count} scheduled articles")
        lists_changed.send(sender=self.__class__)  # cached pages show the new lists

    def _rebuild(self, jobs: int, quiet: bool, options: dict):
        if jobs < 1:
            raise CommandError("--jobs must be 1 or more")
        if options["chunk"] < 1:
            raise CommandError("--chunk must be 1 or more")
        kwargs = {"jobs": jobs, "restart": options["restart"], "chunk": options["chunk"]}
        if quiet:
            summary = rebuild_lists(**kwargs)
        else:
            columns = (
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            with Progress(*columns) as bar:

                def stage(title, total):
                    task = bar.add_task(title, total=total)
                    return lambda n: bar.advance(task, n)

                summary = rebuild_lists(stage, **kwargs)
        self.stdout.write(summary.line())

    def _update(self, ids: list[int]):
        missing = set(ids) - set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if missing:
            raise CommandError(f"no article with id {', '.join(map(str, sorted(missing)))}")
        outcomes = [tasks.update_article(pk, force=True) for pk in ids]
        counts = {o: outcomes.count(o) for o in sorted(set(outcomes))}
        self.stdout.write(", ".join(f"{o} {n}" for o, n in counts.items()))
