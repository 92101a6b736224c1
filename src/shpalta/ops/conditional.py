"""Django's ConditionalGetMiddleware, without its work on requests that ask nothing of it.

The stock middleware parses the response's Last-Modified date and the request's validators on
every GET, although only a request carrying If-None-Match, If-Modified-Since, If-Match or
If-Unmodified-Since can change the answer. Every page-cache hit carries an ETag already, so for
a plain GET of a cached page there is nothing left to do: the response goes out as it is, which
is exactly what the stock code returns after its parsing. Everything else (a missing ETag to
add, a conditional request to answer with 304 or 412) goes through the stock code.
"""

from django.middleware.http import ConditionalGetMiddleware as StockConditionalGetMiddleware

VALIDATORS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class ConditionalGetMiddleware(StockConditionalGetMiddleware):
    def process_response(self, request, response):
        meta = request.META
        if (
            request.method == "GET"
            and response.has_header("ETag")
            and not any(name in meta for name in VALIDATORS)
        ):
            return response
        return super().process_response(request, response)
