"""`shpalta import {text|html|wxr|feed} PATH...`: a thin wrapper over the importer functions."""

import json
import logging
import sys

from django.core.management.base import BaseCommand, CommandError

from shpalta.importers.errors import ItemError

KINDS = {
    "text": ("shpalta.importers.text", "import_text", "plain-text scrapes of article pages"),
    "html": ("shpalta.importers.html", "import_html", "saved article pages (trafilatura)"),
    "wxr": ("shpalta.importers.wxr", "import_wxr", "WordPress exports (WXR 1.0-1.2)"),
    "feed": ("shpalta.importers.feed", "import_feeds", "RSS / Atom feeds, files or URLs"),
}


class Command(BaseCommand):
    help = "Import articles; ends with `imported N, updated N, skipped N, failed N`."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="{text|html|wxr|feed}")
        for kind, (_, _, description) in KINDS.items():
            sub = kinds.add_parser(kind, help=description)
            sub.add_argument(
                "paths", nargs="+", metavar="FILE_OR_URL" if kind == "feed" else "FILE"
            )
            sub.add_argument(
                "--dry-run", action="store_true", help="parse and report, write nothing"
            )
            sub.add_argument(
                "--json", action="store_true", help="with --dry-run: one JSON object per item"
            )
            sub.add_argument("--no-progress", action="store_true", help="no progress bar")
            if kind == "feed":
                sub.add_argument(
                    "--every", type=float, metavar="MINUTES", help="keep polling every N minutes"
                )
                sub.add_argument(
                    "--rounds", type=int, default=0, help="with --every: stop after N polls"
                )

    def handle(self, *args, **options):
        if options["json"] and not options["dry_run"]:
            raise CommandError("--json only goes with --dry-run")
        if options["verbosity"] < 2:
            # every saved article runs the search / related tasks, each logging two lines
            logging.getLogger("django_tasks").setLevel(logging.WARNING)
            logging.getLogger("trafilatura").setLevel(logging.ERROR)
        module, function, _ = KINDS[options["kind"]]
        importer = getattr(__import__(module, fromlist=[function]), function)
        kwargs = {
            "dry_run": options["dry_run"],
            "emit": self._emit if options["json"] else None,
            "progress": not options["no_progress"] and not options["json"] and sys.stderr.isatty(),
        }
        if options["kind"] == "feed":
            kwargs |= {"every": options.get("every"), "rounds": options.get("rounds") or 0}
            kwargs["on_report"] = lambda report: self._finish(report, options, final=False)
        try:
            report = importer(options["paths"], **kwargs)
        except ItemError as error:
            raise CommandError(str(error)) from error
        self._finish(report, options, final=True)

    def _emit(self, obj: dict) -> None:
        self.stdout.write(json.dumps(obj, ensure_ascii=False))

    def _finish(self, report, options, final: bool) -> None:
        for label, reason in report.errors:
            self.stderr.write(f"failed: {label}: {reason}")
        if options["verbosity"] > 1:
            for label, reason in report.notes:
                self.stderr.write(f"note: {label}: {reason}")
        out = self.stderr if options["json"] else self.stdout
        out.write(report.summary())
        if final and report.failed and self._called_from_command_line:
            sys.exit(1)
