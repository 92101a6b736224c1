"""Site-wide template context: the site's name and URL, and the section menu."""

from django.conf import settings

from .models import Category


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "menu_categories": Category.objects.filter(parent__isnull=True).only("name", "slug"),
    }
