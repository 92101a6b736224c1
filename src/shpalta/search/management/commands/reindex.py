"""`shpalta reindex`: rebuild the search index from the published articles, with a progress bar."""

from django.core.management.base import BaseCommand
from django.db import transaction
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from shpalta.search import indexing


class Command(BaseCommand):
    help = "Rebuild the search index from every published article."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, quiet_progress=False, **options):
        total = indexing.published_count()
        columns = [
            TextColumn("[bold]Індексування"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        ]
        with Progress(*columns, disable=quiet_progress or options["verbosity"] == 0) as progress:
            task = progress.add_task("reindex", total=total)
            with transaction.atomic():  # readers see the old index until the new one is whole
                done = indexing.reindex_all(lambda n: progress.advance(task, n))
        indexing.settle()  # statistics and visibility for the rewritten rows
        self.stdout.write(f"indexed {done} articles")
