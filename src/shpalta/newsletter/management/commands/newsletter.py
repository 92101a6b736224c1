"""`shpalta newsletter send`: today's digest now (what the worker does at SHPALTA_NEWSLETTER_TIME),
or resume one interrupted; `--issue N` sends or resumes that issue instead."""

from django.core.management.base import BaseCommand, CommandError

from shpalta.newsletter import conf, schedule, sending


class Command(BaseCommand):
    help = "Надсилає щоденний дайджест розсилки зараз (або продовжує перерваний випуск)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["send"])
        parser.add_argument("--issue", type=int, help="Номер випуску замість сьогоднішнього.")

    def handle(self, *args, action, issue=None, **options):
        if not conf.can_send():
            raise CommandError(
                "Пошту не налаштовано: задайте SHPALTA_EMAIL_URL (smtp://користувач:пароль@"
                "сервер:587?tls=1) або SHPALTA_DEBUG=1, щоб бачити листи в консолі."
            )
        issue_id = issue or schedule.todays_digest()[0].pk
        try:
            counts = sending.send_issue(issue_id)
        except sending.Busy:
            raise CommandError(
                f"Випуск {issue_id} уже надсилає інший процес; спробуйте пізніше."
            ) from None
        self.stdout.write(
            f"Випуск {issue_id}: надіслано {counts['sent']}, помилок {counts['failed']}."
        )
