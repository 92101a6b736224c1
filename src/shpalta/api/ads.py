"""`POST /api/ads/impressions`: the ad slot's impression beacon."""

import logging

from django.http import HttpResponse
from ninja import Router

from shpalta.ads import counting
from shpalta.ads.counting import MAX_ID

from . import beacons
from .schemas import ErrorOut

log = logging.getLogger(__name__)

router = Router(tags=["ads"])

IMPRESSION_BODY = beacons.body("creative", MAX_ID)


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
    return beacons.answer(
        request,
        response,
        counting.impression,
        log=log,
        failure="ads: could not record an impression",
        malformed='expected a JSON body {"creative": <creative id>}',
    )
