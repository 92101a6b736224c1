"""The numbers behind the admin's report: impressions, clicks and CTR per creative per day."""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone

from .models import DailyStats


@dataclass
class Row:
    creative_id: int
    creative: str
    day: date
    impressions: int
    clicks: int

    @property
    def ctr(self) -> float:
        """Clicks per hundred impressions."""
        return 100.0 * self.clicks / self.impressions if self.impressions else 0.0


def period(days: int, today: date | None = None) -> tuple[date, date]:
    today = today or timezone.now().date()
    return today - timedelta(days=days - 1), today


def rows(start: date, end: date, creative_id: int | None = None) -> list[Row]:
    stats = DailyStats.objects.filter(day__gte=start, day__lte=end).select_related("creative")
    if creative_id is not None:
        stats = stats.filter(creative_id=creative_id)
    return [
        Row(s.creative_id, s.creative.name, s.day, s.impressions, s.clicks)
        for s in stats.order_by("-day", "creative__name")
    ]


def daily_totals(start: date, end: date, creative_id: int | None = None) -> list[tuple]:
    """(day, impressions, clicks) for every day of the period, zeros included."""
    stats = DailyStats.objects.filter(day__gte=start, day__lte=end)
    if creative_id is not None:
        stats = stats.filter(creative_id=creative_id)
    found = {
        r["day"]: (r["i"], r["c"])
        for r in stats.values("day").annotate(i=Sum("impressions"), c=Sum("clicks"))
    }
    days = (end - start).days + 1
    return [
        (day, *found.get(day, (0, 0))) for day in (start + timedelta(days=n) for n in range(days))
    ]


def chart(totals: list[tuple], width: int = 720, height: int = 180) -> dict:
    """Bar geometry for the inline SVG: impressions as bars, clicks as dots (own scale)."""
    most = max((i for _, i, _ in totals), default=0) or 1
    most_clicks = max((c for _, _, c in totals), default=0) or 1
    step = width / max(1, len(totals))
    bars = []
    for n, (day, impressions, clicks) in enumerate(totals):
        h = round((height - 20) * impressions / most, 1)
        bars.append(
            {
                "x": round(n * step + 1, 1),
                "y": round(height - h, 1),
                "w": round(max(1.0, step - 2), 1),
                "h": h,
                "cx": round(n * step + step / 2, 1),
                "cy": round(height - (height - 20) * clicks / most_clicks, 1),
                "day": day,
                "impressions": impressions,
                "clicks": clicks,
            }
        )
    return {"width": width, "height": height, "bars": bars, "most": most}


def as_csv(found: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["day", "creative_id", "creative", "impressions", "clicks", "ctr_percent"])
    for row in found:
        name = row.creative
        if name[:1] in ("=", "+", "-", "@", "\t", "\r"):
            name = "'" + name  # a spreadsheet must not run a name as a formula
        writer.writerow(
            [
                row.day.isoformat(),
                row.creative_id,
                name,
                row.impressions,
                row.clicks,
                f"{row.ctr:.2f}",
            ]
        )
    return out.getvalue()
