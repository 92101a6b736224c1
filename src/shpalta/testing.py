"""A pytest plugin (loaded with `-p shpalta.testing`) that isolates a test run's environment.

It must act before pytest-django imports the settings, which happens before any conftest.py
is read: a test run never touches the developer's ./var database, media or secret key.
"""

import os
import tempfile

os.environ.setdefault("SHPALTA_DATA_DIR", tempfile.mkdtemp(prefix="shpalta-test-"))
os.environ.setdefault("SHPALTA_SECRET_KEY", "test-only-secret-key-not-for-production")
