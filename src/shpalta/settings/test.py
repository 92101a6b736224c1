"""Fast, isolated settings for pytest: a fresh data dir, fast hashing, tasks run at once.

The environment (a temporary SHPALTA_DATA_DIR, a fixed secret key) is set by the pytest plugin
`shpalta.testing` before Django starts, since importing this module imports the main settings.
"""

from . import *  # noqa: F403
from . import CACHES, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = CACHES
# Whole-page caching is switched on by the tests that test it (tests/caching), so other tests
# that change data without saving a model (counters, say) see their change at once.
SHPALTA_PAGE_CACHE = False
# Fragments (cards, blocks) likewise: they too change only with the site version, which moves
# after a commit that most tests never make (tests/caching/test_fragments.py turns them on).
SHPALTA_FRAGMENT_CACHE_SECONDS = 0
# Views are written as they arrive: a background journal thread left running by one test would
# apply its segments into a later test's database (tests/popular/test_journal turns it on).
SHPALTA_VIEWS_FLUSH_SECONDS = 0
# «Most read» rankings likewise (tests/popular/test_ranking.py turns the cache on): a ranking
# cached by one test named article ids that SQLite gives again to a later test's articles
# after the rollback, and that test's home page showed one of its stories twice.
SHPALTA_POPULAR_CACHE_SECONDS = 0
