"""CORS for the read-only API: any origin may GET it; nothing else is opened cross-origin.

Reading needs no credentials, so `*` is safe. The view beacon (POST) stays same-origin: a
preflight answers with GET, HEAD and OPTIONS only, so browsers refuse cross-origin POSTs.
"""

from django.http import HttpResponse

API_PREFIX = "/api/"
READ_METHODS = {"GET", "HEAD"}
MAX_AGE = "86400"


class CorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            return self._preflight()
        response = self.get_response(request)
        if request.method in READ_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
        return response

    @staticmethod
    def _preflight() -> HttpResponse:
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Language"
        response["Access-Control-Max-Age"] = MAX_AGE
        return response
