"""`shpalta telegram sweep`: send what is due to the channel, as every worker does on its beat."""

from django.core.management.base import BaseCommand, CommandError

from shpalta.telegram import conf, posting


class Command(BaseCommand):
    help = "Надсилає в Telegram-канал заплановані й відкладені дописи, які вже час публікувати."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["sweep"])

    def handle(self, *args, action, **options):
        if not conf.enabled():
            raise CommandError(
                "Telegram не налаштовано: задайте SHPALTA_TELEGRAM_BOT_TOKEN і "
                "SHPALTA_TELEGRAM_CHAT_ID."
            )
        counts = posting.sweep()
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "нічого"
        self.stdout.write(f"Telegram: {summary}")
