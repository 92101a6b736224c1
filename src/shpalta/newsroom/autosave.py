"""Autosave: what an open article form holds, kept per editor and story (or per editor for a
story not yet saved), and offered back when the form is opened again after a lost tab."""

from django.utils import timezone

from .models import Autosave

FIELDS = ["title", "lead", "body", "excerpt"]
MAX_CHARS = 1_000_000  # a whole form's text; more is not an article
INTERVAL_SECONDS = 30  # how often an open form saves (static/newsroom/autosave.js)


def _rows(user, article):
    rows = Autosave.objects.filter(user=user)
    return rows.filter(article=article) if article is not None else rows.filter(article=None)


def store(user, article, fields: dict) -> bool:
    """Keep the form's text; False when it is too long to be an article."""
    data = {name: str(fields.get(name, "")) for name in FIELDS}
    if sum(len(value) for value in data.values()) > MAX_CHARS:
        return False
    rows = _rows(user, article)
    if not rows.update(data=data, saved_at=timezone.now()):
        Autosave.objects.create(user=user, article=article, data=data, saved_at=timezone.now())
    return True


def pending(user, article) -> Autosave | None:
    """An autosave worth offering: newer than the story's last save, and not the same text."""
    autosave = _rows(user, article).order_by("-saved_at").first()
    if autosave is None:
        return None
    if article is None:
        return autosave if any(autosave.data.values()) else None
    newer = autosave.saved_at > article.updated_at
    differs = any(autosave.data.get(name, "") != getattr(article, name) for name in FIELDS)
    return autosave if newer and differs else None


def discard(user, article) -> None:
    _rows(user, article).delete()


def applied(article, autosave: Autosave):
    """The story with the autosaved text in place, in memory only (the form shows it)."""
    for name in FIELDS:
        setattr(article, name, autosave.data.get(name, getattr(article, name)))
    return article
