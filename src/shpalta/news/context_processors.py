"""Site-wide template context: the site's name and URL, and the section menu."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import rubrics


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        # Lazy: the admin's pages get this context too and never show the menu. Shared with
        # the view through the request, so a page reads the rubrics once.
        "menu_categories": SimpleLazyObject(lambda: rubrics.for_request(request).top_level),
    }
