"""Dates as a newsroom writes them («26 листопада 2026, 14:05», 26.11.2026, ISO 8601), read
in Kyiv time, for scrapes that carry their own date and for `--published-at`."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import dateformat, translation

KYIV = ZoneInfo("Europe/Kyiv")
MONTHS = [
    *("січня", "лютого", "березня", "квітня", "травня", "червня"),
    *("липня", "серпня", "вересня", "жовтня", "листопада", "грудня"),
]
_TIME = r"(?:\s*(?:,|о|об)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2}))?"
_WORDS = re.compile(
    r"(?P<day>\d{1,2})\s+(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})(?:\s*р\.?)?" + _TIME
)
_DOTS = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})" + _TIME)
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:z|[+-]\d{2}:?\d{2})?"
)


def read_date(text: str) -> datetime | None:
    """The moment `text` names when it is nothing but a date (and time); else None."""
    text = " ".join(text.split()).casefold()
    if _ISO.fullmatch(text):
        return _iso(text)
    for pattern in (_WORDS, _DOTS):
        found = pattern.fullmatch(text)
        if found:
            return _local(found)
    return None


def _iso(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=KYIV)


def _local(found: re.Match) -> datetime | None:
    month = found["month"]
    month = MONTHS.index(month) + 1 if month in MONTHS else int(month)
    try:
        return datetime(
            int(found["year"]),
            month,
            int(found["day"]),
            int(found["hour"] or 0),
            int(found["minute"] or 0),
            tzinfo=KYIV,
        )
    except ValueError:  # 31 лютого, 25:70
        return None


def kyiv_text(moment: datetime) -> str:
    """«2 грудня 2026, 14:05»: how reports name a date."""
    with translation.override("uk"):
        return dateformat.format(moment.astimezone(KYIV), "j E Y, H:i")
