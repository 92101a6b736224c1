from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "shpalta.changes"
    verbose_name = _("Реакції на зміни статей")

    def ready(self):
        from . import receivers

        receivers.connect()
