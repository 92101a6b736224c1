from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    name = "shpalta.caching"
    verbose_name = _("Кешування сторінок")

    def ready(self):
        """A deleted version row, and a migrate or flush (which may empty the table without a
        delete signal), are announced like a change: every process reads the row again."""
        from django.db.models.signals import post_delete, post_migrate

        from . import versioning
        from .models import SiteVersion

        post_delete.connect(versioning.row_removed, sender=SiteVersion)
        post_migrate.connect(versioning.announce, sender=self)
