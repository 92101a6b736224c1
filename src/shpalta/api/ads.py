"""`POST /api/ads/impressions`: the ad slot's impression beacon."""

import logging

from django.http import HttpResponse
from ninja import Router, Status

from shpalta.ads import counting
from shpalta.ads.counting import MAX_ID

from .errors import too_many_requests
from .schemas import ErrorOut

log = logging.getLogger(__name__)

router = Router(tags=["ads"])

RETRY_SECONDS = 60
IMPRESSION_SCHEMA = {
    "type": "object",
    "required": ["creative"],
    "properties": {"creative": {"type": "integer", "minimum": 1, "maximum": MAX_ID}},
    "additionalProperties": False,
}
IMPRESSION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": IMPRESSION_SCHEMA},
            "text/plain": {"schema": IMPRESSION_SCHEMA},
        },
    }
}


@router.post(
    "/ads/impressions",
    response={204: None, 400: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    openapi_extra=IMPRESSION_BODY,
    summary="Count an ad impression (the slot's beacon: half of it seen for a second)",
    url_name="ad_impression",
)
def ad_impression(request, response: HttpResponse):
    """204 whether or not it counted: a repeat within 30 minutes, a crawler or a creative that
    is not running is ignored without saying which. De-duplicated, bot-filtered and rate
    limited like the view beacon (`POST /api/views`); no cookie is read or set."""
    response["Cache-Control"] = "no-store"
    try:
        verdict = counting.impression(request)
    except Exception:
        log.exception("ads: could not record an impression")
        return Status(503, {"detail": "counter temporarily unavailable"})
    if verdict is counting.Verdict.MALFORMED:
        return Status(400, {"detail": 'expected a JSON body {"creative": <creative id>}'})
    if verdict is counting.Verdict.LIMITED:
        response["Retry-After"] = str(RETRY_SECONDS)
        return Status(429, {"detail": too_many_requests(RETRY_SECONDS)})
    return Status(204, None)
