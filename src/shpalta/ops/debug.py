"""With DEBUG on, the site answers this machine only.

Debug pages show settings and code. The settings refuse DEBUG with public SHPALTA_ALLOWED_HOSTS
and `shpalta serve` refuses it on an address beyond loopback, but a development server started
on 0.0.0.0 (or gunicorn started by hand) would still show them to anyone who sends
`Host: 127.0.0.1`. So while DEBUG is on, a request whose connection comes from another machine
is refused. The connection's own address (REMOTE_ADDR) decides: X-Forwarded-For is written by
the client and proves nothing.
"""

import ipaddress

from django.conf import settings
from django.http import HttpResponseForbidden

REFUSED = (
    "SHPALTA_DEBUG is on: this server answers requests from its own machine only. "
    "Turn SHPALTA_DEBUG off to serve other machines.\n"
)


def _loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


class LocalOnlyWhileDebugMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG and not _loopback(request.META.get("REMOTE_ADDR", "")):
            return HttpResponseForbidden(REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
