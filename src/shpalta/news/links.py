"""Absolute links on SITE_URL, the one public address of the site.

Canonical links, Open Graph, feeds, sitemaps and robots.txt all name pages by SITE_URL, never
by the request's scheme and host, which behind a proxy may be internal ones.
"""

from django.conf import settings


def absolute(path: str) -> str:
    """`path` on SITE_URL; a URL already absolute (media on another host, say) stays as it is."""
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path
