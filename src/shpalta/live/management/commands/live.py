"""`shpalta live start|post|end ID`: live coverage from scripts and bots (an air-raid monitor)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shpalta.live import service


class Command(BaseCommand):
    help = "Онлайн-трансляції: почати (start), додати оновлення (post), завершити (end)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{start|post|end}")
        start = actions.add_parser("start", help="почати трансляцію на статті")
        start.add_argument("article_id", type=int, metavar="ID")
        start.add_argument("--summary", help="«Головне зараз» над стрічкою")
        post = actions.add_parser("post", help="додати оновлення до трансляції")
        post.add_argument("article_id", type=int, metavar="ID")
        post.add_argument("text", metavar="TEXT", help="текст оновлення (HTML очищується)")
        post.add_argument("--important", action="store_true", help="закріпити як важливе")
        post.add_argument("--link", default="", help="посилання до оновлення")
        end = actions.add_parser("end", help="завершити трансляцію")
        end.add_argument("article_id", type=int, metavar="ID")

    def handle(self, *args, action, article_id, **options):
        try:
            message = getattr(self, f"_{action}")(article_id, options)
        except service.LiveError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(message)

    def _start(self, article_id: int, options) -> str:
        coverage = service.start(article_id, options.get("summary"))
        return (
            f"Трансляція триває: «{coverage.article.title}» ({coverage.article.get_absolute_url()})"
        )

    def _post(self, article_id: int, options) -> str:
        entry = service.post(
            article_id, options["text"], important=options["important"], link=options["link"]
        )
        when = timezone.localtime(entry.created_at).strftime("%H:%M")
        return f"Оновлення {entry.pk} додано о {when}."

    def _end(self, article_id: int, options) -> str:
        coverage = service.end(article_id)
        return f"Трансляцію «{coverage.article.title}» завершено."
