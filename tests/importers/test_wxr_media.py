"""`import wxr --media-dir / --fetch-media`: the archive's images come home into the photo
library. Against the theme unit test export with a generated uploads folder, and against a
local HTTP server that answers one good photo, a 404, a slow answer and HTML sent as JPEG."""

import io
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

from shpalta.news.models import Article
from shpalta.photos.models import FormerAddress, Image
from tests.photos.images import jpeg, leaks

pytestmark = pytest.mark.django_db

IMAGE_URL = re.compile(
    r"https?://wpthemetestdata\.files\.wordpress\.com/(\d{4}/\d{2}/[^\"'<>\s?]+)"
)


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "wxr", *map(str, args), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def uploads_for(export: Path, folder: Path) -> list[str]:
    """A wp-content/uploads copy with a small drawn picture for each image the export names."""
    names = sorted(set(IMAGE_URL.findall(export.read_text(encoding="utf-8"))))
    for n, name in enumerate(names):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        picture = PILImage.new("RGB", (96, 64), (n * 7 % 256, n * 13 % 256, 120))
        kind = {"png": "PNG", "gif": "GIF"}.get(name.rsplit(".", 1)[-1].lower(), "JPEG")
        picture.save(target, kind)
    return names


@pytest.fixture
def theme_unit_test(data_dir) -> Path:
    return data_dir / "wxr" / "WPTT-theme-unit-test" / "themeunittestdata.wordpress.xml"


def test_the_theme_unit_tests_images_come_home_from_an_uploads_copy(
    theme_unit_test, tmp_path, client
):
    names = uploads_for(theme_unit_test, tmp_path)
    gone, broken = names[0], names[1]
    (tmp_path / gone).unlink()
    (tmp_path / broken).write_bytes(b"<html>not a picture</html>")

    out, err = run(theme_unit_test, "--media-dir", tmp_path)

    assert gone in err and broken in err  # reported by name; the posts still imported
    assert "Це не фото" in err
    assert Article.objects.count() > 20
    covered = Article.objects.exclude(cover=None)
    assert covered.count() >= 3
    assert all(not a.cover_image_url or a.cover.source == a.cover_image_url for a in covered)
    with_images = [a for a in Article.objects.all() if "<img" in a.body]
    assert with_images
    for article in with_images:
        sources = re.findall(r'<img[^>]*src="([^"]+)"', article.body)
        outside = [s for s in sources if not s.startswith("/img/")]
        assert all(gone in s or broken in s or "wpthemetestdata" not in s for s in outside), outside
    moved = FormerAddress.objects.first()
    response = client.get(moved.path)
    assert response.status_code == 301 and response["Location"].startswith("/img/")
    assert client.get(response["Location"]).status_code == 200
    images = Image.objects.count()
    assert f"фото: нових {images}," in out

    again, _ = run(theme_unit_test, "--media-dir", tmp_path)
    assert Image.objects.count() == images  # a re-run imports no image twice
    assert "фото: нових 0," in again


class OldSite(BaseHTTPRequestHandler):
    photo = jpeg(1600, 1200)
    hits: dict = {}

    def do_GET(self):  # noqa: N802
        OldSite.hits[self.path] = OldSite.hits.get(self.path, 0) + 1
        if self.path.endswith("/ok.jpg"):
            self._answer(200, "image/jpeg", self.photo)
        elif self.path.endswith("/slow.jpg"):
            time.sleep(3)
            self._answer(200, "image/jpeg", self.photo)
        elif self.path.endswith("/page.jpg"):
            self._answer(200, "image/jpeg", b"<!doctype html><title>WordPress</title>")
        elif self.path.endswith("/text.jpg"):
            self._answer(200, "text/html", b"<!doctype html><title>Not found</title>")
        else:
            self._answer(404, "text/html", b"not found")

    def _answer(self, status, kind, body):
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Старий сайт</title><link>{base}</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>{base}</wp:base_blog_url>
<item><title>Міст через Десну</title><link>{base}/2024/01/mist/</link>
<dc:creator>redaktor</dc:creator><guid isPermaLink="false">{base}/?p=10</guid>
<content:encoded><![CDATA[<p>Перший абзац про міст.</p>
<p><img src="{base}/wp-content/uploads/2024/01/ok.jpg" alt="Міст"></p>
<p><img src="{base}/wp-content/uploads/2024/01/missing.jpg"></p>
<p><img src="{base}/wp-content/uploads/2024/01/slow.jpg"></p>
<p><img src="{base}/wp-content/uploads/2024/01/page.jpg"></p>
<p><img src="{base}/wp-content/uploads/2024/01/text.jpg"></p>]]></content:encoded>
<wp:post_id>10</wp:post_id><wp:post_date>2024-01-05 10:00:00</wp:post_date>
<wp:post_date_gmt>2024-01-05 08:00:00</wp:post_date_gmt><wp:post_name>mist</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
"""


@pytest.fixture
def old_site(settings):
    settings.SHPALTA_FETCH_ALLOW_PRIVATE = True
    settings.SHPALTA_FETCH_DEADLINE_SECONDS = 1.0
    OldSite.hits = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), OldSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_fetch_media_downloads_what_it_can_and_names_what_it_cannot(old_site, tmp_path, client):
    export = tmp_path / "old.xml"
    export.write_text(WXR.format(base=old_site), encoding="utf-8")

    out, err = run(export, "--fetch-media")

    story = Article.objects.get()  # the post imported whatever its images did
    [image] = Image.objects.all()
    assert image.source.endswith("/ok.jpg") and (image.width, image.height) == (1600, 1200)
    assert leaks(Path(image.file.path).read_bytes()) == []  # GPS and serial stripped
    assert f'src="/img/{image.sha256}/' in story.body
    for name in ("missing.jpg", "slow.jpg", "page.jpg", "text.jpg"):
        assert name in err, name
        assert f"/wp-content/uploads/2024/01/{name}" in story.body  # kept as it was
    assert "HTTP 404" in err and "не фото, а text/html" in err and "Це не фото" in err
    assert "фото: нових 1, уже в бібліотеці 0, не вдалося 4; змінено статей: 1" in out
    response = client.get("/wp-content/uploads/2024/01/ok.jpg")
    assert response.status_code == 301 and f"/img/{image.sha256}/" in response["Location"]

    again, _ = run(export, "--fetch-media")
    assert OldSite.hits["/wp-content/uploads/2024/01/ok.jpg"] == 1  # not fetched again
    assert Image.objects.count() == 1
