"""The demo's live story: a night of air-raid updates, and a «Терміново» strip linking to it.

Loaded by `shpalta load_demo` (news' `demo_loaded`, wired in shpalta.changes.receivers), so
`make run` shows a live page. Like the rest of the demo, it is written for Shpalta: the events
and quotes are invented.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from shpalta.news import factories
from shpalta.news.models import Article

from .models import BreakingNews, LiveCoverage, LiveEntry

SOURCE = "shpalta-demo-live"
KEY = "air-raid-night"
TITLE = "Нічна атака дронів на Київ: онлайн-трансляція"
LEAD = "Стежимо за повітряною тривогою, роботою ППО та наслідками атаки в столиці й області."
SUMMARY = (
    "Тривогу в Києві скасовано. Уламки впали у двох районах, є пошкоджені будинки; "
    "енергетики відновлюють живлення. Графіки відключень сьогодні не застосовуватимуть."
)
BODY = (
    "Редакція стежить за подіями в столиці й області з початку тривоги. Нові повідомлення "
    "з’являються вгорі стрічки, найважливіше закріплено над нею."
)
STRIP = "Наживо: наслідки нічної атаки на Київ"
# (minutes before now, text, important, link)
ENTRIES = [
    (
        200,
        "У Києві та області оголошено повітряну тривогу. Моніторингові канали повідомляють "
        "про групи ударних дронів з південного напрямку.",
        False,
        "",
    ),
    (
        180,
        "Сили протиповітряної оборони працюють на лівому березі. Залишайтеся в укриттях.",
        False,
        "",
    ),
    (
        150,
        "КМВА: уламки збитого дрона впали на відкриту територію в Дарницькому районі, "
        "без загорання.",
        False,
        "",
    ),
    (
        120,
        "Мер: у Дніпровському районі уламки пошкодили дах п’ятиповерхівки, рятувальники на "
        "місці. Попередньо, без постраждалих.",
        True,
        "",
    ),
    (95, "Відбій повітряної тривоги в Києві. Тривога тривала 1 годину 45 хвилин.", False, ""),
    (
        60,
        "Енергетики повідомляють про знеструмлення частини будинків на лівому березі; живлення "
        "відновлюють поетапно.",
        False,
        "https://ua.energy/",
    ),
    (
        20,
        "Укренерго: графіки погодинних відключень у Києві сьогодні не застосовуватимуть, якщо "
        "не буде нових ударів.",
        False,
        "",
    ),
]


@transaction.atomic
def load(now: datetime | None = None) -> Article:
    """The live story, made once; a fresh strip whenever the last one has expired."""
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    article = Article.objects.filter(import_source=SOURCE, import_id=KEY).first()
    if article is None:
        article = _story(now)
    if not BreakingNews.objects.filter(article=article, expires_at__gt=now).exists():
        BreakingNews.objects.create(
            article=article, text=STRIP, starts_at=now, expires_at=now + timedelta(hours=12)
        )
    return article


def _story(now: datetime) -> Article:
    article = factories.article(
        TITLE,
        body=f"<p>{escape(BODY)}</p>",
        lead=LEAD,
        category=factories.category("Київ"),
        published_at=now - timedelta(minutes=210),
        tags=["Київ", "повітряна тривога"],
        authors=[factories.author("Ірина Шевчук")],
        import_source=SOURCE,
        import_id=KEY,
    )
    coverage = LiveCoverage.objects.create(
        article=article, summary=SUMMARY, started_at=now - timedelta(minutes=205)
    )
    for minutes, text, important, link in ENTRIES:
        LiveEntry.objects.create(
            coverage=coverage,
            created_at=now - timedelta(minutes=minutes),
            text=f"<p>{escape(text)}</p>",
            important=important,
            link=link,
        )
    return article
