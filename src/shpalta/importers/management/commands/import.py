"""`shpalta import {text|html|wxr|feed} PATH...`: a thin wrapper over the importer functions."""

import argparse
import json
import logging
import sys
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from shpalta.importers import media
from shpalta.importers.dates import kyiv_text, read_date
from shpalta.importers.errors import ItemError
from shpalta.importers.pipeline import dry_run_listener
from shpalta.importers.text import Defaults

KINDS = {
    "text": ("shpalta.importers.text", "import_text", "plain-text scrapes of article pages"),
    "html": ("shpalta.importers.html", "import_html", "saved article pages (trafilatura)"),
    "wxr": ("shpalta.importers.wxr", "import_wxr", "WordPress exports (WXR 1.0-1.2)"),
    "feed": ("shpalta.importers.feed", "import_feeds", "RSS / Atom feeds, files or URLs"),
}

TEXT_FORMAT = """file format: UTF-8 text; the first line is the headline, then paragraphs
separated by blank lines (a wrapped paragraph stays one). The page's own blocks
(spot_img placeholders, «Популярне», «Поділитися дописом:», «Більше подібного»)
end the story and are dropped.

date of a story, first rule that applies:
  1. a line holding only a date among the first four non-blank lines
     («26 листопада 2026, 14:05», «Опубліковано: 26.11.2026», 2026-11-26T14:05),
     Kyiv time; the line leaves the text
  2. --published-at
  3. the file's modification time, with a warning
the date is set on the first import; re-importing an edited file keeps it."""


def add_text_arguments(sub) -> None:
    """A scrape carries no rubric, author or link: the command line gives them to every file."""
    sub.add_argument("--category", default="", help="the rubric, by name (made if missing)")
    sub.add_argument(
        "--author", action="append", default=[], help="an author by name (repeat for more)"
    )
    sub.add_argument(
        "--published-at",
        metavar="DATE",
        help="for files without their own date line: «26 листопада 2026, 14:05», "
        "26.11.2026 14:05 or ISO 8601, Kyiv time (default: the file's modification time)",
    )
    sub.add_argument("--source-url", default="", help="the original's address (one file only)")


def text_defaults(options: dict) -> Defaults:
    """The --category, --author, --published-at and --source-url of `import text`, checked."""
    published_at = None
    if options["published_at"]:
        published_at = read_date(options["published_at"])
        if published_at is None:
            raise CommandError(f"--published-at: not a date: {options['published_at']}")
    if options["source_url"] and len(options["paths"]) > 1:
        raise CommandError("--source-url names one story: give it with one file")
    return Defaults(
        category=options["category"].strip(),
        authors=[name.strip() for name in options["author"] if name.strip()],
        published_at=published_at,
        source_url=options["source_url"].strip(),
    )


def plan_line(preview: dict, would: str) -> str:
    """One line of a plain dry run: what would happen to the item, its title, date, source."""
    published = preview["published_at"]
    when = kyiv_text(datetime.fromisoformat(published)) if published else "no date"
    return f"{would:<9}  «{preview['title']}»  {when}  {preview['source']}"


class Command(BaseCommand):
    help = "Import articles; ends with `imported N, updated N, skipped N, failed N`."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="{text|html|wxr|feed}")
        for kind, (_, _, description) in KINDS.items():
            sub = kinds.add_parser(
                kind,
                help=description,
                description=description,
                epilog=TEXT_FORMAT if kind == "text" else None,
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
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
            if kind == "text":
                add_text_arguments(sub)
            if kind == "wxr":
                sub.add_argument(
                    "--one-by-one",
                    action="store_true",
                    help="write each post in its own transaction with every per-article update "
                    "(default: batches of 500, related lists computed once at the end)",
                )
                sub.add_argument(
                    "--media-dir",
                    metavar="DIR",
                    help="a copy of the old site's wp-content/uploads: covers and images in the "
                    "text come from it into the photo library",
                )
                sub.add_argument(
                    "--fetch-media",
                    action="store_true",
                    help="download the images not found in --media-dir from the old site "
                    "(deadline, size cap, image types only, 4 at a time)",
                )
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
        if options["kind"] == "text":
            kwargs["defaults"] = text_defaults(options)
        if options.get("one_by_one"):
            kwargs["one_by_one"] = True
        listening = options["dry_run"] and not options["json"]
        token = dry_run_listener.set(self._plan if listening else None)
        try:
            report = importer(options["paths"], **kwargs)
        except ItemError as error:
            raise CommandError(str(error)) from error
        finally:
            dry_run_listener.reset(token)
        if (options.get("media_dir") or options.get("fetch_media")) and not options["dry_run"]:
            self._bring_media_home(options, kwargs["progress"])
        self._finish(report, options, final=True)

    def _bring_media_home(self, options, progress: bool) -> None:
        """After the posts: their outside images into the photo library (importers.media)."""
        brought = media.bring_home(
            options["paths"], options.get("media_dir"), options["fetch_media"], progress
        )
        for url, reason in brought.failures:
            self.stderr.write(f"фото не перенесено: {url}: {reason}")
        self.stdout.write(
            f"фото: нових {brought.images}, уже в бібліотеці {brought.reused}, "
            f"не вдалося {len(brought.failures)}; змінено статей: {brought.stories}"
        )

    def _plan(self, preview: dict, would: str) -> None:
        self.stdout.write(plan_line(preview, would))

    def _emit(self, obj: dict) -> None:
        self.stdout.write(json.dumps(obj, ensure_ascii=False))

    def _finish(self, report, options, final: bool) -> None:
        for label, reason in report.errors:
            self.stderr.write(f"failed: {label}: {reason}")
        for label, reason in report.warnings:
            self.stderr.write(f"warning: {label}: {reason}")
        if options["verbosity"] > 1:
            for label, reason in report.notes:
                self.stderr.write(f"note: {label}: {reason}")
        if options["json"]:
            self.stderr.write(report.summary())
        elif options["dry_run"]:
            self.stdout.write(report.dry_summary())
        else:
            self.stdout.write(report.summary())
        if final and report.failed and self._called_from_command_line:
            sys.exit(1)
