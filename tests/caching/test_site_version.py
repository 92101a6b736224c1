"""The site version row as the admin and error messages name it."""

from django.utils.functional import Promise

from shpalta.caching.models import SiteVersion


def test_the_site_version_is_named_through_the_catalogue_in_ukrainian():
    options = SiteVersion._meta
    assert isinstance(options.verbose_name, Promise)
    assert (str(options.verbose_name), str(options.verbose_name_plural)) == (
        "версія сайту",
        "версії сайту",
    )
