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


def _keys(paths) -> set[str]:
    keys = {normalise_path(p) for p in paths if p}
    return {k for k in keys if len(k) <= 500 and not is_home(k)}


def remember(paths, *, source: str, **target) -> None:
    """Point each old path at `target` (article=, category=, tag= or author=)."""
    remember_many([(paths, source, target)])


def remember_many(entries) -> None:
    """`remember` for many targets at once (a bulk import's batch): entries are
    (paths, source, {"article": obj} or another target); a path named twice goes to the last."""
    wanted: dict[str, tuple[str, dict]] = {}
    for paths, source, target in entries:
        fields = {"article": None, "category": None, "tag": None, "author": None} | target
        ids = {f"{name}_id": getattr(obj, "pk", None) for name, obj in fields.items()}
        for key in _keys(paths):
            wanted[key] = (source, ids)
    if not wanted:
        return
    existing = {row.path: row for row in LegacyURL.objects.filter(path__in=list(wanted))}
    for path, row in existing.items():
        source, ids = wanted[path]
        if any(getattr(row, name) != value for name, value in ids.items()):
            LegacyURL.objects.filter(path=path).update(source=source, **ids)
    LegacyURL.objects.bulk_create(
        [
            LegacyURL(path=key, source=wanted[key][0], **wanted[key][1])
            for key in sorted(wanted.keys() - existing.keys())
        ]
    )


def find(path: str) -> LegacyURL | None:
    return (
        LegacyURL.objects.select_related("article", "category", "tag", "author")
        .filter(path=normalise_path(path))
        .first()
    )
