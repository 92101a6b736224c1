"""Old addresses of imported sites answer 301 with the article, category, tag or author page."""

from django.http import HttpResponsePermanentRedirect

from . import legacy

_HOME_IDS = tuple(legacy.ID_PARAMS)


class LegacyRedirectMiddleware:
    """`/?p=123` is caught before the home page renders (the home view ignores queries);
    any other address is looked up only once the site has answered 404, so the lookup never
    costs a live page anything.

    Only the home page needs the early look: a blog that lived under a prefix (`/blog/?p=123`)
    has no page of that name here, so its addresses reach the 404 look-up; and a live page
    that takes `tag` or `author` itself (`/api/articles?tag=…`) is not a WordPress address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"GET", "HEAD"} and _is_home_with_id(request):
            redirect = _redirect(request)
            if redirect is not None:
                return redirect
        response = self.get_response(request)
        if response.status_code == 404 and request.method in {"GET", "HEAD"}:
            return _redirect(request) or response
        return response


def _is_home_with_id(request) -> bool:
    return legacy.is_home(request.path_info) and any(name in request.GET for name in _HOME_IDS)


def _redirect(request):
    old = legacy.find(request.get_full_path())
    target = old.target_url() if old is not None else None
    if target is None or target == request.path:
        return None
    return HttpResponsePermanentRedirect(target)
