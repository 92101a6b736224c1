from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelatedConfig(AppConfig):
    name = "shpalta.related"
    verbose_name = _("Більше подібного")

    def ready(self):
        from shpalta.news import stored

        from .queries import kept_key

        # The story page's block is kept in its stored page while its list shows the same
        # (news/stored.py, `{% hole "related" kept "related" %}`).
        stored.key_part("related", kept_key)
