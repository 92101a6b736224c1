"""/search/: the reader's search page."""

from django.http import QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import ratelimit, service
from .forms import SearchForm

AS_TYPED = "as_typed"  # search exactly what was typed, no layout switch


def _query_string(params: QueryDict, **changes) -> str:
    """The current filters with some values replaced; empty ones and `page` dropped."""
    kept = QueryDict(mutable=True)
    for key in ("q", "category", "date_from", "date_to"):
        value = changes.get(key, params.get(key, ""))
        if value:
            kept[key] = value
    return kept.urlencode()


def rate_limited(request, retry_after: int):
    response = render(request, "search/rate_limited.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@require_GET
def search_page(request):
    allowed, retry_after = ratelimit.allow(request)
    if not allowed:
        return rate_limited(request, retry_after)
    form = SearchForm(request.GET)
    result = service.search(
        request.GET.get("q"),
        page=request.GET.get("page") or 1,
        switch_layout=not request.GET.get(AS_TYPED),
        fields=service.PAGE_FIELDS,
        **form.values(),
    )
    query_text = result.query.text
    context = {
        "form": form,
        "filter_widgets": form.filter_widgets(request),
        "query": query_text,
        "result": result,
        "page_obj": result.page,
        "extra_query": _query_string(request.GET, q=query_text),
        "suggestion_query": (
            _query_string(request.GET, q=result.suggestion) if result.suggestion else ""
        ),
        "unfiltered_query": _query_string(
            request.GET, q=query_text, category="", date_from="", date_to=""
        ),
        "as_typed_query": (
            f"{_query_string(request.GET, q=result.corrected_from)}&{AS_TYPED}=1"
            if result.corrected_from
            else ""
        ),
        "has_filters": any(request.GET.get(k) for k in ("category", "date_from", "date_to")),
    }
    response = render(request, "search/results.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
