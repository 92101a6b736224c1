"""The click redirect: /ads/click/<creative>/?to=<target>&sig=<signature>.

The signature is a keyed hash (SECRET_KEY) of the creative and the exact target, so the
redirect leads only where the newsroom pointed the creative: an unsigned, altered or
re-targeted link answers 400, never a redirect (no open redirect on the site's domain).
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from .validation import validate_target_url

SALT = "shpalta.ads.click"
MAX_TARGET = 500


def signature(creative_id: int, target: str) -> str:
    return salted_hmac(SALT, f"{creative_id}\n{target}", algorithm="sha256").hexdigest()[:32]


def click_url(creative_id: int, target: str) -> str:
    query = urlencode({"to": target, "sig": signature(creative_id, target)})
    return f"{reverse('ads:click', args=[creative_id])}?{query}"


def verified_target(creative_id: int, target: str, sig: str) -> str | None:
    """The target when the signature is this site's for exactly it, else None."""
    if not target or not sig or len(target) > MAX_TARGET or len(sig) != 32:
        return None
    if not constant_time_compare(signature(creative_id, target), sig):
        return None
    try:
        validate_target_url(target)  # signed when it was valid; checked again all the same
    except Exception:
        return None
    return target
