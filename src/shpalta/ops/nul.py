"""Requests carrying a NUL byte are refused before any code can put it into a query.

PostgreSQL refuses NUL in text (psycopg.DataError): a `%00` in a slug, an old WordPress id or
a search would otherwise be a 500 there (and a normal answer on SQLite). No address, parameter
or cookie of the site holds one, so a NUL anywhere is refused as a whole, early: a path with one
names no page (404), a parameter or cookie with one is a bad request (400).

Text is looked at as it arrives and decoded once more (`%2500` is a NUL to code that unquotes
what Django has already decoded, as the old-address look-up does with the path and `?p=`).
"""

from urllib.parse import unquote

from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse

NUL = "\x00"
# The API answers JSON whatever the status (`{"detail": …}`, its one error shape); the site's
# pages answer with its own 404 page and Django's 400 page.
JSON_PREFIXES = ("/api/",)
NOT_FOUND = "Not found."
BAD_REQUEST = "Invalid request. A NUL byte in a parameter or cookie."


def _hides_nul(text: str) -> bool:
    return NUL in text or NUL in unquote(text)


def _has_nul(pairs) -> bool:
    return any(
        _hides_nul(key) or any(_hides_nul(value) for value in values) for key, values in pairs
    )


def _refuse(request, status: int, detail: str):
    if request.path_info.startswith(JSON_PREFIXES):
        return JsonResponse(
            {"detail": detail},
            status=status,
            content_type="application/json; charset=utf-8",
            json_dumps_params={"ensure_ascii": False},
        )
    raise Http404(detail) if status == 404 else BadRequest(detail)


class RejectNulMiddleware:
    """Placed right after the health check, ahead of every middleware that reads the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # path_info is the path %-decoded; a raw NUL arrives in it unchanged.
        if _hides_nul(request.path_info) or _hides_nul(request.path):
            return _refuse(request, 404, NOT_FOUND)
        # QueryDict decodes %00 and keeps a raw NUL; keys count as well as values.
        cookies = ((name, [value]) for name, value in request.COOKIES.items())
        if _has_nul(request.GET.lists()) or _has_nul(cookies):
            return _refuse(request, 400, BAD_REQUEST)
        return self.get_response(request)
