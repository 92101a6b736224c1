"""Demo newsletter data for `make run`: two confirmed readers and today's editors' pick.

Nothing is mailed: without SHPALTA_EMAIL_URL the site sends no e-mail at all (with
SHPALTA_DEBUG=1, `shpalta newsletter send` prints the digest on the console instead).
"""

from django.utils import timezone

from shpalta.news.models import Article

from .models import Pick, Subscriber

READERS = ["chytach@example.com", "chytachka@example.com"]


def load() -> None:
    for email in READERS:
        Subscriber.objects.get_or_create(
            email=email,
            defaults={"status": Subscriber.Status.CONFIRMED, "confirmed_at": timezone.now()},
        )
    newest = Article.objects.published().order_by("-published_at").first()
    if newest is not None:
        Pick.objects.get_or_create(article=newest, day=timezone.localdate())
