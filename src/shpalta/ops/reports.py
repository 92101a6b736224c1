"""Error reports that show no credential: the DEBUG page and the admins' error e-mails.

Django's SafeExceptionReporterFilter masks a setting by its *name* (…PASSWORD, …SECRET_KEY);
the database, replica and Redis URLs (SHPALTA_DATABASE_URL and friends, the cache's LOCATION)
carry their password inside the *value*, as `scheme://user:password@host`, and were shown in
full, in the settings, in request.META (the development server copies the environment into it)
and in the traceback's local variables.
"""

import re

from django.views.debug import SafeExceptionReporterFilter

# Anything between "scheme://" and "@": a user and password, or a token standing in for them.
CREDENTIALS_IN_URL = re.compile(r"[a-z][a-z0-9+.\-]*://[^/\s@]+@", re.IGNORECASE)


class CredentialsFilter(SafeExceptionReporterFilter):
    """Masks, besides Django's names, every value that is (or holds) a URL with credentials."""

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, str) and CREDENTIALS_IN_URL.search(cleansed):
            return self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self._cleanse_variable(value))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]

    def _cleanse_variable(self, value):
        # Plain text and plain containers only: other objects keep their own repr.
        if isinstance(value, str) or type(value) in (dict, list, tuple):
            return self.cleanse_setting("", value)
        return value
