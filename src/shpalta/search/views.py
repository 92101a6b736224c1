"""/search/: the reader's search page."""

from django.http import QueryDict
from django.shortcuts import render
from django.template.defaultfilters import date
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
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


# One found article, as the results list shows it (search/results.html puts them in its <ol>).
RESULT_ITEM = """
  <li class="search-result">
    <h2 class="search-result__title"><a href="{url}">{title}</a></h2>
    <p class="card__meta">{rubric}<time datetime="{iso}">{day}</time></p>
    <p class="search-result__snippet">{snippet}</p>
  </li>
  """
RUBRIC = '<a href="{url}">{name}</a> · '


def result_items(results: list[service.Result]) -> SafeString:
    """The list's items, written out as the template's loop wrote them (the same escaping, the
    dates in the reader's time zone and language): a template loop cost a tenth of a search.
    tests/search/test_result_items.py holds the two equal."""
    items = []
    for item in results:
        article, rubric = item.article, item.article.category
        published = template_localtime(article.published_at)
        items.append(RESULT_ITEM.format(
            url=conditional_escape(article.get_absolute_url()),
            title=conditional_escape(item.title),
            rubric=RUBRIC.format(url=conditional_escape(rubric.get_absolute_url()),
                                 name=conditional_escape(rubric.name)) if rubric else "",
            iso=conditional_escape(date(published, "c")),
            day=conditional_escape(date(published, "j E Y")),
            snippet=conditional_escape(item.snippet),
        ))  # fmt: skip
    return mark_safe("".join(items))  # noqa: S308 - every value escaped above


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
        "result_items": result_items(result.results),
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
