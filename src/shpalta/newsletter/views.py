"""The reader's side: subscribe, confirm, leave.

The subscribe form sits on every cached reader page, so it carries no CSRF token (a page with
one belongs to one visitor and is never cached). Its endpoint protects itself instead: a browser
posting from another site says so in Origin and Sec-Fetch-Site, which are refused; the worst a
forged request could do is ask for a confirmation letter, which the address's owner ignores;
and requests are limited per client and per address in the database, across app servers.

Confirming and unsubscribing are signed links; their pages show a button and the POST acts, so
a mail scanner that opens links changes nothing. A mail client's one-click unsubscribe (RFC
8058) posts `List-Unsubscribe=One-Click` to the same address.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from shpalta.ops.clients import client_ip

from . import subscriptions, tokens
from .tasks import send_confirmation

SAME_SITE = {"same-origin", "same-site", "none"}


def from_this_site(request) -> bool:
    """No cross-site browser POST: Sec-Fetch-Site when sent, else Origin against our hosts."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in SAME_SITE
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser form: no visitor's browser is being abused
    host = urlsplit(origin).netloc
    return host == request.get_host() or origin == settings.SITE_URL


@csrf_exempt
@never_cache
@require_POST
def subscribe(request):
    if not from_this_site(request):
        return render(request, "newsletter/refused.html", status=403)
    if not subscriptions.allowed(client_ip(request) or "unknown"):
        return render(request, "newsletter/rate_limited.html", status=429)
    email = subscriptions.normalise(request.POST.get("email", ""))[:254]
    try:
        validate_email(email)
    except ValidationError:
        return render(request, "newsletter/subscribe.html", {"invalid": True}, status=400)
    if subscriptions.subscribe(email):
        transaction.on_commit(lambda: send_confirmation.enqueue(email))
    return render(request, "newsletter/subscribe.html", {"sent": True})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    email = tokens.confirmed_email(token)
    if email is None:
        return render(request, "newsletter/link_invalid.html", status=400)
    if request.method == "GET":
        return render(request, "newsletter/confirm.html", {"email": email})
    subscriber = subscriptions.confirm(email)
    if subscriber is None:
        return render(request, "newsletter/link_invalid.html", status=400)
    return render(request, "newsletter/confirm.html", {"email": email, "done": True})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber_id = tokens.unsubscribing_id(token)
    if subscriber_id is None:
        return render(request, "newsletter/link_invalid.html", status=400)
    if request.method == "GET":
        return render(request, "newsletter/unsubscribe.html", {"token": token})
    subscriber = subscriptions.unsubscribe(subscriber_id)
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse(status=200)
    return render(request, "newsletter/unsubscribe.html", {"done": subscriber is not None})
