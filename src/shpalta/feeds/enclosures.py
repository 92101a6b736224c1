"""A feed item's cover as an RSS `<enclosure>` / Atom `<link rel="enclosure">`.

RSS 2.0 requires url, length and type on an enclosure. A local cover's length is its size in
storage; a remote cover's length is unknown, and 0 is how feeds say so (the RSS Advisory
Board's profile and the W3C feed validator accept it). The type comes from the file name's
extension, image/jpeg when it names no image type: covers are photos, JPEG far more often.
"""

import logging
import mimetypes
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.utils.feedgenerator import Enclosure

from shpalta.news.links import absolute
from shpalta.photos.pictures import stored as stored_rendition

from .xmltext import xml_text

log = logging.getLogger(__name__)

DEFAULT_TYPE = "image/jpeg"
UNKNOWN_LENGTH = 0


def image_type(name: str) -> str:
    guessed, _ = mimetypes.guess_type(urlsplit(name).path)
    return guessed if guessed and guessed.startswith("image/") else DEFAULT_TYPE


def _stored_size(field) -> int:
    """A cover missing from storage (or storage out of reach) leaves the length unknown rather
    than failing the whole feed."""
    try:
        return field.storage.size(field.name)
    except OSError:
        log.warning("feed enclosure: cannot read the size of %s", field.name)
        return UNKNOWN_LENGTH


def cover_enclosures(article) -> list[Enclosure]:
    """The library cover (its largest JPEG rendition), else the old uploaded file, else the
    imported one's URL; none without a cover."""
    if article.cover_id:
        try:
            name = stored_rendition(article.cover)
            length = default_storage.size(name)
        except OSError:
            log.warning("feed enclosure: no rendition of image %s", article.cover_id)
            length = UNKNOWN_LENGTH
        return [Enclosure(absolute(article.cover_url), str(length), DEFAULT_TYPE)]
    if article.cover_image:
        url = absolute(article.cover_image.url)
        return [Enclosure(url, str(_stored_size(article.cover_image)), image_type(url))]
    if article.cover_image_url:
        url = xml_text(article.cover_image_url)
        return [Enclosure(url, str(UNKNOWN_LENGTH), image_type(url))]
    return []
