"""The click redirect (reader-facing, not JSON, so not in the API)."""

import logging

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.views.decorators.http import require_safe

from . import clicks, counting

log = logging.getLogger(__name__)


@require_safe
def click(request, creative_id: int):
    target = clicks.verified_target(
        creative_id, request.GET.get("to", ""), request.GET.get("sig", "")
    )
    if target is None:
        return HttpResponseBadRequest(
            "Посилання на рекламу пошкоджене або змінене: перейти за ним не можна.",
            content_type="text/plain; charset=utf-8",
        )
    if request.method == "GET":
        try:
            counting.count(request, counting.Kind.CLICK, creative_id)
        except Exception:  # a counter outage must not keep the reader from the advertiser
            log.exception("ads: could not count a click")
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
