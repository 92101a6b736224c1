"""Signed links: a confirmation that expires, an unsubscribe link that works for ever."""

from django.core import signing

CONFIRM_SALT = "shpalta.newsletter.confirm"
UNSUBSCRIBE_SALT = "shpalta.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 3 * 24 * 3600  # three days to click the confirmation link


def confirm_token(email: str) -> str:
    return signing.dumps(email, salt=CONFIRM_SALT, compress=True)


def confirmed_email(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # expired links are a BadSignature too
        return None
    return value if isinstance(value, str) else None


def unsubscribe_token(subscriber_id: int) -> str:
    """No expiry: a digest from last year must still let its reader leave."""
    return signing.dumps(subscriber_id, salt=UNSUBSCRIBE_SALT)


def unsubscribing_id(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
