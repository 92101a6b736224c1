"""Our ConditionalGetMiddleware answers every request as Django's does, skipping only the work
a request without validators cannot need (ops.conditional)."""

import itertools

from django.conf import settings
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware as Stock
from django.test import RequestFactory

from shpalta.ops.conditional import ConditionalGetMiddleware as Ours

ETAG = '"abc"'
DATE = "Tue, 01 Dec 2026 10:00:00 GMT"
REQUESTS = [
    {},
    {"HTTP_IF_NONE_MATCH": ETAG},
    {"HTTP_IF_NONE_MATCH": '"other"'},
    {"HTTP_IF_NONE_MATCH": "*"},
    {"HTTP_IF_MODIFIED_SINCE": DATE},
    {"HTTP_IF_MODIFIED_SINCE": "Mon, 30 Nov 2026 10:00:00 GMT"},
    {"HTTP_IF_MATCH": '"other"'},
    {"HTTP_IF_UNMODIFIED_SINCE": "Mon, 30 Nov 2026 10:00:00 GMT"},
]
RESPONSES = [
    {},
    {"ETag": ETAG},
    {"Last-Modified": DATE},
    {"ETag": ETAG, "Last-Modified": DATE},
    {"Cache-Control": "no-store"},
]


def answer(middleware, method, headers, response_headers):
    def view(request):
        response = HttpResponse(b"<p>page</p>")
        for name, value in response_headers.items():
            response[name] = value
        return response

    request = getattr(RequestFactory(), method)("/", **headers)
    response = middleware(view)(request)
    return response.status_code, sorted(response.items()), response.content


def test_every_request_is_answered_as_django_answers_it():
    cases = list(itertools.product(["get", "head", "post"], REQUESTS, RESPONSES))
    for method, headers, response_headers in cases:
        ours = answer(Ours, method, headers, response_headers)
        assert ours == answer(Stock, method, headers, response_headers), (method, headers)
    # The matrix covers what matters: 304s, 412s, and added ETags all occur.
    statuses = {answer(Ours, *case)[0] for case in cases}
    assert {200, 304, 412} <= statuses


def test_a_plain_get_of_a_page_with_an_etag_is_passed_through_untouched():
    page = HttpResponse(b"<p>page</p>")
    page["ETag"] = ETAG
    request = RequestFactory().get("/")
    assert Ours(lambda request: page)(request) is page


def test_the_site_uses_it_in_place_of_djangos():
    assert "shpalta.ops.conditional.ConditionalGetMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.http.ConditionalGetMiddleware" not in settings.MIDDLEWARE
