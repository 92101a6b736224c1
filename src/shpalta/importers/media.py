"""Archive images brought home after `shpalta import wxr` (`--media-dir DIR`, `--fetch-media`).

The day the old WordPress server is switched off, every cover and picture that still points at
it breaks. After the posts are imported, each imported story of these exports that still names
an outside image (its cover address, an `<img>` in its text) gets it from a copy of
`wp-content/uploads` (`--media-dir`) or, failing that, downloads it (`--fetch-media`: the fetch
helper's deadline, size cap and address checks, an image content type required, a few at a
time). Each image goes through the photo library (verified, stripped of EXIF/GPS, kept once by
its content); the story's cover becomes the library image and each `<img>` in its text the
library reference (shpalta.photos.inline), and the old address answers 301 with the new file
(photos.FormerAddress). A missing or broken image is reported by name and the story keeps its
old address; a re-run fetches nothing already brought home and adds no image twice.

Kept apart from the WXR reader and pipeline: it works on the stored stories, not on the export.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction

from shpalta.news.models import Article
from shpalta.photos import inline, library
from shpalta.photos.models import FormerAddress
from shpalta.photos.safety import check_size

from . import fetch
from .errors import ItemError
from .pipeline import Tracker
from .wxr import scan, source_key

UPLOADS = "/wp-content/uploads/"
# wordpress.com keeps uploads at /YYYY/MM/name on its files host
DATED = re.compile(r"/(\d{4}/\d{2}/[^/]+)$")
IMG = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")', re.I)
CONCURRENCY = 4  # polite to the old server: a few downloads at a time
LOCAL = "/img/"


@dataclass
class Brought:
    """What the pass did, for the command's closing lines."""

    images: int = 0  # new library images
    reused: int = 0  # found in the library already (same file) or brought home before
    stories: int = 0  # stories whose cover or text changed
    failures: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)


def relative_upload(url: str) -> str | None:
    """The file's path inside `wp-content/uploads` (`2019/05/a.jpg`), when the address says."""
    path = unquote(urlsplit(url).path)
    if UPLOADS in path:
        return path.split(UPLOADS, 1)[1]
    dated = DATED.search(path)
    return dated.group(1) if dated else None


def former_path(url: str) -> str | None:
    """The address the old image answers at on this site: `/wp-content/uploads/…`."""
    rest = relative_upload(url)
    return f"{UPLOADS}{rest}" if rest else None


def outside_images(article) -> list[str]:
    """The cover address and every `<img>` of the text that is not a library image yet."""
    found = [article.cover_image_url] if article.cover_image_url and not article.cover_id else []
    found += [m.group(2) for m in IMG.finditer(article.body or "")]
    return [url for url in dict.fromkeys(found) if url and not url.startswith(LOCAL)]


def stories(paths) -> list[Article]:
    """The imported stories of these exports that still name outside images."""
    sources = set()
    for path in map(Path, paths):
        try:
            sources.add(source_key(scan(path), path))
        except ItemError:
            continue  # the import reported the broken file already
    candidates = Article.objects.filter(import_source__in=sources).order_by("pk")
    return [article for article in candidates if outside_images(article)]


def read_local(media_dir: Path, url: str) -> bytes | None:
    rest = relative_upload(url)
    if media_dir is None or rest is None:
        return None
    base = media_dir.resolve()
    candidate = (base / rest).resolve()
    if not candidate.is_relative_to(base) or not candidate.is_file():
        return None
    try:
        check_size(candidate.stat().st_size)
    except ValidationError as error:
        raise ItemError(" ".join(error.messages)) from error
    return candidate.read_bytes()


def download(url: str) -> bytes:
    """The image at `url` through the fetch helper; an answer that is not an image is refused."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ItemError("не http(s)-адреса, завантажити не можна")
    answer = fetch.get(url, {"Accept": "image/*"})
    kind = answer.headers.get("content-type", "").split(";")[0].strip().lower()
    if not kind.startswith("image/"):
        raise ItemError(f"сервер віддав не фото, а {kind or 'невідомий тип'}")
    return answer.body


def obtain(url: str, media_dir: Path | None, fetching: bool) -> bytes:
    data = read_local(media_dir, url)
    if data is not None:
        return data
    if not fetching:
        raise ItemError("немає в --media-dir (додайте --fetch-media, щоб завантажити)")
    return download(url)


def bring_home(paths, media_dir=None, fetching=False, progress=False) -> Brought:
    """Every outside image of these exports' stories brought into the library (see above)."""
    media_dir = Path(media_dir) if media_dir else None
    todo = stories(paths)
    urls = list(dict.fromkeys(url for article in todo for url in outside_images(article)))
    result = Brought()
    images = {}
    formerly = {url: former_path(url) for url in urls}
    known = {
        moved.path: moved.image
        for moved in FormerAddress.objects.select_related("image").filter(
            path__in=[path for path in formerly.values() if path]
        )
    }
    for url in urls:
        if formerly[url] in known:
            images[url] = known[formerly[url]]
            result.reused += 1
    missing = [url for url in urls if url not in images]
    with Tracker(progress, "media") as tracker, ThreadPoolExecutor(CONCURRENCY) as pool:
        tracker.add_total(len(missing))
        attempts = pool.map(lambda url: _attempt(url, media_dir, fetching), missing)
        for url, (data, problem) in zip(missing, attempts, strict=True):
            tracker.advance()
            if problem:
                result.failures.append((url, problem))
                continue
            try:
                image, created = library.add(data, Path(urlsplit(url).path).name, source=url[:500])
            except ValidationError as error:
                result.failures.append((url, " ".join(error.messages)))
                continue
            images[url] = image
            result.images += created
            result.reused += not created
            if formerly[url]:
                FormerAddress.objects.update_or_create(
                    path=formerly[url][:500], defaults={"image": image}
                )
    for article in todo:
        result.stories += _rewrite(article, images)
    return result


def _attempt(url: str, media_dir, fetching: bool) -> tuple[bytes | None, str]:
    try:
        return obtain(url, media_dir, fetching), ""
    except ItemError as error:
        return None, str(error)


def _rewrite(article, images: dict) -> bool:
    """The story's cover and `<img>` addresses pointed at the library; True when it changed."""
    changed = False
    cover = images.get(article.cover_image_url) if not article.cover_id else None
    if cover is not None:
        article.cover = cover
        if not cover.alt:
            library.fill_blanks(cover, alt=article.cover_alt, caption=article.cover_caption)
        changed = True

    def local(match: re.Match) -> str:
        image = images.get(match.group(2))
        return f"{match.group(1)}{inline.link(image)}{match.group(3)}" if image else match[0]

    body = IMG.sub(local, article.body or "")
    if body != article.body:
        article.body, changed = body, True
    if changed:
        with transaction.atomic():
            article.save()
    return changed
