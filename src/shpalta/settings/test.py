"""Fast, isolated settings for pytest: a fresh data dir, fast hashing, tasks run at once."""

import os
import tempfile

os.environ.setdefault("SHPALTA_DATA_DIR", tempfile.mkdtemp(prefix="shpalta-test-"))
os.environ.setdefault("SHPALTA_SECRET_KEY", "test-only-secret-key-not-for-production")

from . import *  # noqa: E402,F403
from . import CACHES, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
CACHES = CACHES
