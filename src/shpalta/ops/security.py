"""Content-Security-Policy and the other response headers Django 5.2 does not set itself.

Scripts may only come from our own origin (or the static/media host): no inline script, no
`eval`, no `javascript:` URLs, so an XSS that slips into an imported article cannot run.
`<script type="application/ld+json">` blocks are data, not script: browsers never execute
them, so CSP leaves them alone. The one inline script we allow is the import map of the
admin's rich-text editor (django-prose-editor), by the hash of its exact content.
"""

import base64
import hashlib
import re
from urllib.parse import urlsplit

from django.conf import settings

_IMPORTMAP = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.S)
# Callables returning {directive: [source, ...]} that an app above registers from its
# AppConfig.ready() (ads: the ad network hosts an administrator configured). They only widen
# the directives they name, and only with what configuration gives them.
_source_providers: list = []


def register_sources(provider) -> None:
    """Let `provider()` add sources to directives of the policy (read when it is built)."""
    if provider not in _source_providers:
        _source_providers.append(provider)


def _extra_sources() -> dict[str, list[str]]:
    extra: dict[str, list[str]] = {}
    for provider in _source_providers:
        for directive, sources in provider().items():
            extra.setdefault(directive, []).extend(s for s in sources if s)
    return extra


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def editor_importmap_hashes() -> list[str]:
    """Hashes of the import map the prose editor widget renders (the URLs depend on static)."""
    from django_prose_editor.widgets import prose_editor_media

    rendered = str(prose_editor_media().render())
    return [_sha256(body) for body in _IMPORTMAP.findall(rendered)]


def build_policy() -> str:
    assets = " ".join(
        origin for origin in {_origin(settings.STATIC_URL), _origin(settings.MEDIA_URL)} if origin
    )
    scripts = " ".join(filter(None, ["'self'", assets, *editor_importmap_hashes()]))
    directives = {
        "default-src": "'self'",
        "script-src": scripts,
        # The admin and the editor set style attributes from JavaScript; styles cannot run code.
        "style-src": " ".join(filter(None, ["'self'", assets, "'unsafe-inline'"])),
        # Imported articles keep their cover images on the source's servers.
        "img-src": "'self' data: https:",
        "font-src": " ".join(filter(None, ["'self'", assets, "data:"])),
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    for directive, sources in _extra_sources().items():
        base = directives.get(directive, "'self'")
        directives[directive] = " ".join(dict.fromkeys([*base.split(), *sources]))
    policy = "; ".join(f"{name} {value}" for name, value in directives.items())
    if getattr(settings, "HTTPS", False):
        policy += "; upgrade-insecure-requests"
    return policy


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = None  # built on the first request, when static URLs are resolvable

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy is None:
            self.policy = settings.SHPALTA_CSP or build_policy()
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        return response
