"""Demo content so that a fresh `make run` shows a living site: every page and block has items.

The articles in the JSON files beside this module were written for Shpalta; they are plausible
Ukrainian news, not copies of any outlet's stories, and the experts and residents quoted are
invented. Several stories share subjects (НАТО, Зеленський, київські мости, енергетика, дрони,
monobank) so that search and related articles have something real to find.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from shpalta.news import factories
from shpalta.news.models import Article, Author
from shpalta.photos import library

from .covers import cover_jpeg

SOURCE = "shpalta-demo"
COVER_CAPTION = "Ілюстрація «Шпальти»"
COVER_CREDIT = "Шпальта (намальовано програмою)"


@dataclass
class Loaded:
    created: int = 0
    kept: int = 0


def load(now: datetime | None = None) -> Loaded:
    """Create the demo articles that are not there yet; ones already loaded are left untouched."""
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    site = _read("site.json")
    with transaction.atomic():
        colours = _categories(site["categories"])
        authors = {
            entry["name"]: factories.author(entry["name"], bio=entry["bio"])
            for entry in site["authors"]
        }
        done = set(Article.objects.filter(import_source=SOURCE).values_list("import_id", flat=True))
        result = Loaded()
        for entry in entries():
            if entry["id"] in done:
                result.kept += 1
            else:
                _create(entry, now, colours, authors)
                result.created += 1
    return result


def entries() -> list[dict]:
    """Every demo article, from all the per-category files."""
    files = sorted(
        f.name for f in resources.files(__package__).iterdir() if f.name.endswith(".json")
    )
    return [entry for name in files if name != "site.json" for entry in _read(name)]


def _read(name: str):
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def _categories(rows: list[dict]) -> dict[str, str]:
    for row in rows:
        factories.category(row["name"], description=row["description"], position=row["position"])
    return {row["name"]: row["colour"] for row in rows}


def _create(entry: dict, now: datetime, colours: dict, authors: dict[str, Author]) -> Article:
    category = factories.category(entry["category"])
    fields = {
        "lead": entry["lead"],
        "category": category,
        "import_source": SOURCE,
        "import_id": entry["id"],
    }
    if entry.get("cover", True):
        fields |= _cover(entry, colours[category.name])
    return factories.article(
        entry["title"],
        body=body_html(entry["body"]),
        status=entry.get("status", Article.Status.PUBLISHED),
        published_at=now - timedelta(hours=entry["hours_ago"], minutes=_minutes(entry["id"])),
        tags=entry["tags"],
        authors=[authors[name] for name in entry["authors"]],
        **fields,
    )


def body_html(blocks: list[str]) -> str:
    """Paragraphs as <p>; a block starting with `## ` is a subheading."""
    parts = []
    for block in blocks:
        if block.startswith("## "):
            parts.append(f"<h2>{escape(block[3:])}</h2>")
        else:
            parts.append(f"<p>{escape(block)}</p>")
    return "\n".join(parts)


def _cover(entry: dict, colour: str) -> dict:
    """A library image (shpalta.photos), so the demo's pages show renditions. They are made
    the first time a page asks for each (the background task would hold up `load_demo` by
    a minute or two for some forty pictures)."""
    alt = f"Абстрактна ілюстрація до статті у кольорах рубрики «{entry['category']}»"
    image, _ = library.add(
        cover_jpeg(entry["id"], colour),
        f"{entry['id']}.jpg",
        warm=False,
        alt=alt,
        caption=COVER_CAPTION,
        credit=COVER_CREDIT,
    )
    return {"cover": image}


def _minutes(key: str) -> int:
    """A stable minute past the hour, so the demo times do not all end in :00."""
    return hashlib.sha256(key.encode()).digest()[0] % 60
