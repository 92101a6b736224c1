"""Revisions of an article: readable values, a side-by-side comparison with a word-level diff
of the text, and restoring one (as a new revision). The revisions are django-simple-history's
records of Article; tags and authors beside them come from RevisionTerms."""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shpalta.news.models import Article, Author, Category, Tag
from shpalta.photos.models import Image
from shpalta.text.cleaning import plain_text

from . import workflow
from .models import RevisionTerms, Transition

# What a comparison shows, in order; the text ones are compared word by word.
FIELDS = [
    ("title", gettext_lazy("Заголовок")),
    ("lead", gettext_lazy("Лід")),
    ("body", gettext_lazy("Текст")),
    ("category", gettext_lazy("Рубрика")),
    ("tags", gettext_lazy("Теги")),
    ("authors", gettext_lazy("Автори")),
    ("cover", gettext_lazy("Головне фото")),
    ("status", gettext_lazy("Статус")),
    ("published_at", gettext_lazy("Час публікації")),
]
WORDED = {"title", "lead", "body"}
# What a restore brings back: the story's content. Status and time stay as they are, so a
# restore never publishes, unpublishes or reschedules a story by itself.
RESTORED = [
    "title",
    "lead",
    "body",
    "excerpt",
    "category_id",
    "cover_id",
    "cover_image",
    "cover_image_url",
    "cover_alt",
    "cover_caption",
    "cover_credit",
    "seo_title",
    "seo_description",
    "source_name",
    "source_url",
]


def when(moment) -> str:
    """«2 грудня 2026, 14:05» in Kyiv time, as the site writes dates."""
    return date_format(timezone.localtime(moment), "j E Y, H:i")


def who(user) -> str:
    if user is None:
        return _("система")
    return user.get_full_name() or user.get_username()


def remember_terms(article: Article) -> None:
    """Store the article's tags and authors beside its newest revision."""
    record = article.history.order_by("-history_id").first()
    if record is None:
        return
    RevisionTerms.objects.update_or_create(
        history_id=record.history_id,
        defaults={
            "article": article,
            "tags": sorted(article.tags.values_list("name", flat=True)),
            "authors": sorted(article.authors.values_list("name", flat=True)),
        },
    )


def _terms_at(article_id: int, history_id: int) -> RevisionTerms | None:
    """The terms saved with this revision or, failing that, with the nearest one before it
    (a bulk publish makes a revision without touching tags)."""
    rows = RevisionTerms.objects.filter(article_id=article_id, history_id__lte=history_id)
    return rows.order_by("-history_id").first()


def readable(record) -> dict[str, str]:
    """One revision's values as an editor reads them: names, not ids; plain text, not HTML."""
    terms = _terms_at(record.id, record.history_id)
    category = Category.objects.filter(pk=record.category_id).values_list("name", flat=True)
    return {
        "title": record.title,
        "lead": record.lead,
        "body": plain_text(record.body),
        "category": category.first() or "—",
        "tags": ", ".join(terms.tags) if terms and terms.tags else "—",
        "authors": ", ".join(terms.authors) if terms and terms.authors else "—",
        "cover": _cover_words(record),
        "status": str(Article.Status(record.status).label),
        "published_at": when(record.published_at),
    }


def _cover_words(record) -> str:
    """The library photo by its alt text and number (an editor knows it by what it shows),
    else the old file or address."""
    if record.cover_id:
        image = Image.objects.filter(pk=record.cover_id).first()
        return f"{image} (№ {record.cover_id})" if image else f"№ {record.cover_id}"
    return str(record.cover_image or record.cover_image_url or "—")


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts escaped, with the words only the old one has in <del>, the new one's <ins>."""
    a, b = old.split(), new.split()
    left, right = [], []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(escape(" ".join(a[i1:i2])))
            right.append(escape(" ".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            right.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))  # noqa: S308  (escaped above)


@dataclass
class Row:
    label: str
    old: str
    new: str
    changed: bool


def compare(old: dict[str, str], new: dict[str, str], only=None) -> list[Row]:
    """The comparison's rows, the text fields as a word diff, the others as values."""
    rows = []
    for key, label in FIELDS:
        if only is not None and key not in only:
            continue
        changed = old[key] != new[key]
        left, right = old[key], new[key]
        if key in WORDED and changed:
            left, right = word_diff(left, right)
        rows.append(Row(str(label), left, right, changed))
    return rows


def changed_labels(old: dict[str, str] | None, new: dict[str, str]) -> list[str]:
    if old is None:
        return [_("створено")]
    return [str(label) for key, label in FIELDS if old[key] != new[key]]


def listing(article: Article, limit: int = 50) -> list[dict]:
    """The newest revisions, each with who, when and which fields it changed."""
    records = list(article.history.select_related("history_user").order_by("-history_id"))
    records = records[: limit + 1]
    values = [readable(record) for record in records]
    items = []
    for n, record in enumerate(records[:limit]):
        before = values[n + 1] if n + 1 < len(values) else None
        items.append(
            {
                "id": record.history_id,
                "number": len(records) - n if len(records) <= limit else None,
                "when": when(record.history_date),
                "who": who(record.history_user),
                "reason": record.history_change_reason or "",
                "changes": ", ".join(changed_labels(before, values[n])),
            }
        )
    return items


@transaction.atomic
def restore(article: Article, record, user) -> None:
    """Bring back a revision's content as a new revision; the public status is kept."""
    for name in RESTORED:
        setattr(article, name, getattr(record, name))
    article._change_reason = _("Відновлено версію від %(when)s") % {
        "when": when(record.history_date)
    }
    article.save()
    terms = _terms_at(article.pk, record.history_id)
    if terms is not None:
        article.tags.set(Tag.objects.filter(name__in=terms.tags))
        article.authors.set(Author.objects.filter(name__in=terms.authors))
    remember_terms(article)
    workflow.record(article, Transition.Action.RESTORE, user, when(record.history_date))
