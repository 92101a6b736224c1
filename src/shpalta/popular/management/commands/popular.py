"""`shpalta popular flush`: Redis counters to the database; `shpalta popular top`: the ranking."""

from django.core.management.base import BaseCommand, CommandError

from shpalta.popular import counters
from shpalta.popular.ranking import WINDOWS, rank_by_views, resolve


class Command(BaseCommand):
    help = "View counters: flush Redis counters to the database, or list the most read."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("flush", help="Move pending Redis counts into the database (idempotent).")
        top = sub.add_parser("top", help="The most read published articles.")
        top.add_argument("--window", choices=sorted(WINDOWS), default="24h")
        top.add_argument("--limit", type=int, default=10)
        top.add_argument("--half-life", type=float, default=0, help="Freshness decay in hours.")

    def handle(self, *args, action, **options):
        if action == "flush":
            self.flush()
        else:
            self.top(options["window"], options["limit"], options["half_life"])

    def flush(self):
        redis = isinstance(counters.counter(), counters.RedisCounter)
        try:
            summary = counters.flush()
        except Exception as error:
            message = f"flush failed, nothing is lost, the next flush retries: {error}"
            raise CommandError(message) from error
        if redis:
            self.stdout.write(
                f"flushed {summary.views} views of {summary.articles} articles "
                f"in {summary.flushes} flushes ({summary.replayed} already applied)"
            )
        else:
            self.stdout.write(
                f"applied {summary.flushes} journal segments: {summary.views} views counted "
                f"of {summary.received} received"
            )

    def top(self, window, limit, half_life):
        ranked = rank_by_views(window, max(1, limit), half_life)
        articles = {a.pk: a for a in resolve(ranked)}
        if not ranked:
            self.stdout.write(f"no views counted in the last {window}")
        for place, item in enumerate(ranked, 1):
            article = articles.get(item.article_id)
            title = article.title if article else f"#{item.article_id}"
            self.stdout.write(f"{place:>3}. {item.views:>8}  {title}")
