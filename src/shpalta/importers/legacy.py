"""Old addresses of imported content, kept so links from the whole web keep working (301)."""

from urllib.parse import parse_qsl, unquote, urlsplit

from .models import LegacyURL

# WordPress's "plain" permalinks: /?p=123 and friends; other query strings are not addresses.
ID_PARAMS = ("p", "page_id", "cat", "tag", "author")


def normalise_path(url: str) -> str:
    """One spelling per address: decoded, lowercase, `/index.php` dropped, a trailing slash
    on directory-like paths, and only WordPress's id parameter kept from the query."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path or "/").lower()
    if path.startswith("/index.php"):
        path = path[len("/index.php") :] or "/"
    if not path.startswith("/"):
        path = "/" + path
    last = path.rsplit("/", 1)[-1]
    if last and "." not in last:
        path += "/"
    params = dict(parse_qsl(parts.query))
    for name in ID_PARAMS:
        value = params.get(name, "").strip()
        if value:
            return f"{path}?{name}={unquote(value).lower()}"
    return path


def is_home(path: str) -> bool:
    return path in {"/", ""}


def remember(paths, *, source: str, **target) -> None:
    """Point each old path at `target` (article=, category=, tag= or author=)."""
    keys = {normalise_path(p) for p in paths if p}
    keys = {k for k in keys if len(k) <= 500 and not is_home(k)}
    if not keys:
        return
    fields = {"article": None, "category": None, "tag": None, "author": None} | target
    wanted = {f"{name}_id": getattr(obj, "pk", None) for name, obj in fields.items()}
    existing = {row.path: row for row in LegacyURL.objects.filter(path__in=keys)}
    stale = [
        path
        for path, row in existing.items()
        if any(getattr(row, name) != value for name, value in wanted.items())
    ]
    if stale:
        LegacyURL.objects.filter(path__in=stale).update(source=source, **wanted)
    LegacyURL.objects.bulk_create(
        [LegacyURL(path=k, source=source, **wanted) for k in sorted(keys - existing.keys())]
    )


def find(path: str) -> LegacyURL | None:
    return (
        LegacyURL.objects.select_related("article", "category", "tag", "author")
        .filter(path=normalise_path(path))
        .first()
    )
