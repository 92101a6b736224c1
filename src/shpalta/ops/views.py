"""Small answers browsers and crawlers ask every site for."""

from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .health import health_response


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers fetch /favicon.ico on pages that name no icon (the admin); point them at ours."""
    return HttpResponseRedirect(static("shpalta/favicon.svg"))


def healthz(request):
    """For load balancers (normally answered earlier by the HealthCheckMiddleware)."""
    return health_response(request)
