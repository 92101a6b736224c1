"""Shpalta settings: everything a deployment changes comes from SHPALTA_* environment variables.

The embedded default (SQLite in ./var, local-memory cache, tasks run in-process) needs no
variable at all; PostgreSQL, Redis and background workers are switched on by URLs.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from shpalta.ops.logs import logging_config

from .env import email_settings, env_bool, env_float, env_int, env_list, env_str
from .storage import media_storage

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("SHPALTA_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("SHPALTA_DEBUG", False)
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
ALLOWED_HOSTS = env_list("SHPALTA_ALLOWED_HOSTS", ",".join(LOCAL_HOSTS))
PUBLIC_HOSTS = [h for h in ALLOWED_HOSTS if h not in LOCAL_HOSTS]


def _secret_key() -> str:
    """A public site must be given its key; a local install keeps a generated one in DATA_DIR."""
    key = env_str("SHPALTA_SECRET_KEY")
    if key:
        return key
    if PUBLIC_HOSTS:
        raise ImproperlyConfigured(
            "SHPALTA_SECRET_KEY is not set but SHPALTA_ALLOWED_HOSTS names public hosts "
            f"({', '.join(PUBLIC_HOSTS)}). Set SHPALTA_SECRET_KEY to a long random string, e.g. "
            "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    path = DATA_DIR / "secret_key"
    try:
        # Created private (never readable by other local users, not even until a chmod) and
        # only once: a second process starting at the same moment reads the first one's key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as key_file:
            key_file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Error reports (the DEBUG page, error e-mails) mask credentials inside URLs too.
DEFAULT_EXCEPTION_REPORTER_FILTER = "shpalta.ops.reports.CredentialsFilter"
if DEBUG and PUBLIC_HOSTS:
    raise ImproperlyConfigured(
        "SHPALTA_DEBUG is on while SHPALTA_ALLOWED_HOSTS names public hosts "
        f"({', '.join(PUBLIC_HOSTS)}): debug pages leak settings and code. Turn SHPALTA_DEBUG off."
    )

SITE_NAME = env_str("SHPALTA_SITE_NAME", "Шпальта")
SITE_URL = env_str("SHPALTA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin on a site that puts model names in the right case (newsroom/site.py).
    "shpalta.newsroom.site.UkrainianAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_tasks",
    "shpalta.newsroom.site.UkrainianTasksConfig",  # django_tasks_db, named in Ukrainian
    "django_prose_editor",
    "simple_history",
    # The API docs page then serves Swagger UI from our static files, not a CDN our CSP blocks.
    "ninja",
    # Bottom layer first (docs/architecture.md): each app imports only the ones above it here.
    "shpalta.text",
    "shpalta.ops",
    "shpalta.photos",
    "shpalta.news",
    "shpalta.newsroom",
    "shpalta.caching",
    "shpalta.search",
    "shpalta.related",
    "shpalta.popular",
    "shpalta.importers",
    "shpalta.feeds",
    "shpalta.live",
    "shpalta.telegram",
    "shpalta.newsletter",
    "shpalta.ads",
    "shpalta.api",
    "shpalta.changes",
]

MIDDLEWARE = [
    "shpalta.ops.health.HealthCheckMiddleware",
    # With DEBUG on, requests from other machines are refused (debug pages show settings).
    "shpalta.ops.debug.LocalOnlyWhileDebugMiddleware",
    # A NUL byte in the path, a parameter or a cookie: 404/400 before anything queries with it.
    "shpalta.ops.nul.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "shpalta.ops.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shpalta.api.cors.CorsMiddleware",
    "shpalta.ops.conditional.ConditionalGetMiddleware",
    # Page-cache hits for requests that can only be anonymous end here (caching.middleware).
    "shpalta.caching.middleware.PageCacheEdgeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: the site is Ukrainian whatever the browser asks for; with it an
    # English-language browser got "26 November 2026" dates in Ukrainian pages (seen in the
    # Chromium screenshot) and every page varied on Accept-Language.
    "django.middleware.common.CommonMiddleware",
    "shpalta.importers.middleware.LegacyRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shpalta.caching.middleware.PageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "shpalta.urls"
WSGI_APPLICATION = "shpalta.wsgi.application"
ASGI_APPLICATION = "shpalta.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shpalta.news.context_processors.site",
            ],
        },
    },
]

# SQLite: WAL lets readers run beside the one writer; IMMEDIATE transactions make writers
# queue on the lock instead of failing with "database is locked" mid-transaction.
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
        "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def _database(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=env_int("SHPALTA_DB_CONN_MAX_AGE", 60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        config["CONN_MAX_AGE"] = 0 if config["NAME"] == ":memory:" else config["CONN_MAX_AGE"]
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


def _private_sqlite_file(config: dict) -> None:
    """A SQLite database file is the whole site: private like the key file (0600), created so
    before SQLite opens it, and an older one readable by other users is made private. Its WAL
    and shared-memory files take the database file's mode."""
    name = str(config["NAME"])
    if config["ENGINE"] != "django.db.backends.sqlite3" or name == ":memory:":
        return
    if name.startswith("file:") or "mode=memory" in name:
        return
    path = Path(name)
    if not path.parent.is_dir():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        if path.stat().st_mode & 0o077:
            path.chmod(path.stat().st_mode & 0o700)
    except OSError:
        pass  # not ours to change (another user's file, a read-only mount): SQLite decides


DATABASE_URL = env_str("SHPALTA_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'shpalta.sqlite3'}"
DATABASES = {"default": _database(DATABASE_URL)}
_private_sqlite_file(DATABASES["default"])
REPLICA_URL = env_str("SHPALTA_DATABASE_REPLICA_URL")
if REPLICA_URL:
    # Tests see the replica as the test primary itself (no second test database to fill).
    DATABASES["replica"] = _database(REPLICA_URL) | {"TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["shpalta.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(0, "shpalta.db_router.ReplicaMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("SHPALTA_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shpalta",
        },
        # Each process's own copy of the version-keyed fragments it read from Redis
        # (shpalta.news.fragments): a story page's parts then cost no round trip each.
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shpalta-fragments",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shpalta",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Background work: in-process by default; a database-backed queue worked by
# `shpalta db_worker` when SHPALTA_TASKS=database (the scale path).
TASKS_BACKEND = env_str("SHPALTA_TASKS", "immediate")
if TASKS_BACKEND not in {"immediate", "database"}:
    raise ImproperlyConfigured(f"SHPALTA_TASKS={TASKS_BACKEND!r}: use 'immediate' or 'database'.")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.backend.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Roles (shpalta.newsroom): Django's backend answers for a model, the newsroom's for one article.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "shpalta.newsroom.backends.NewsroomBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# One language: there is no LocaleMiddleware (see MIDDLEWARE). The msgids are Ukrainian; the
# catalogue in locale/ adds the Ukrainian plural forms the msgids alone can't give.
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Українська"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Kyiv"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The site's own CSS and JS live beside the settings, not inside an app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at every start when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("SHPALTA_MEDIA_DIR", str(DATA_DIR / "media"))).resolve()
STORAGES = {
    # the local disk (SHPALTA_MEDIA_DIR), or an S3-compatible bucket: SHPALTA_MEDIA_STORAGE=s3
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "shpalta.ops.static.StaticStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
HTTPS = env_bool("SHPALTA_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SHPALTA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("SHPALTA_SSL_REDIRECT", False)
    # The proxy in front redirects to HTTPS; HSTS preload is the owner's decision to make.
    SILENCED_SYSTEM_CHECKS = ["security.W008", "security.W021"]
CSRF_TRUSTED_ORIGINS = env_list("SHPALTA_CSRF_TRUSTED_ORIGINS")

LOGIN_URL = "admin:login"

# Plain text lines by default; SHPALTA_LOG_FORMAT=json (the default under `shpalta serve`)
# writes one JSON object per line for log shippers.
LOGGING = logging_config(
    env_str("SHPALTA_LOG_FORMAT", "plain"), env_str("SHPALTA_LOG_LEVEL", "INFO")
)
# Content-Security-Policy: built from the static/media hosts unless given whole here.
SHPALTA_CSP = env_str("SHPALTA_CSP")
# CDN or caching proxy to send `PURGE <path>` to when a public article changes (empty: none).
SHPALTA_CDN_PURGE_URL = env_str("SHPALTA_CDN_PURGE_URL")

# Article pages, lists and feeds: how many items a page shows.
SHPALTA_PAGE_SIZE = env_int("SHPALTA_PAGE_SIZE", 20)

# Feeds and sitemaps (shpalta.feeds); page caching (shpalta.caching).
SHPALTA_FEED_FULL_TEXT = env_bool("SHPALTA_FEED_FULL_TEXT", True)  # off: feeds carry the lead only
SHPALTA_FEED_ITEMS = env_int("SHPALTA_FEED_ITEMS", 30)
SHPALTA_SITEMAP_PAGE_SIZE = env_int("SHPALTA_SITEMAP_PAGE_SIZE", 10000)
SHPALTA_PAGE_CACHE = env_bool("SHPALTA_PAGE_CACHE", True)  # whole pages for anonymous readers
SHPALTA_PAGE_CACHE_SECONDS = env_int("SHPALTA_PAGE_CACHE_SECONDS", 300)
# Cards and blocks shared by many pages, keyed by the content version (news/fragments.py).
SHPALTA_FRAGMENT_CACHE_SECONDS = env_int("SHPALTA_FRAGMENT_CACHE_SECONDS", 3600)
# Story pages kept as rendered, with holes for the site-wide parts (news/stored.py).
SHPALTA_STORED_PAGES = env_bool("SHPALTA_STORED_PAGES", True)
SHPALTA_HTTP_MAX_AGE = env_int("SHPALTA_HTTP_MAX_AGE", 60)  # Cache-Control max-age for readers

# Popular (view counting). Reverse proxies in front that append to X-Forwarded-For (0: the
# client is REMOTE_ADDR); beacons one client (IP + user agent) may send a minute; how often
# counted views reach the database from the journal or Redis (0 without Redis: at once);
# how long rankings are cached; freshness half-life in hours for the site's blocks.
SHPALTA_TRUSTED_PROXIES = env_int("SHPALTA_TRUSTED_PROXIES", 0)
SHPALTA_VIEWS_PER_MINUTE = env_int("SHPALTA_VIEWS_PER_MINUTE", 300)
SHPALTA_VIEWS_FLUSH_SECONDS = env_int("SHPALTA_VIEWS_FLUSH_SECONDS", 10)
SHPALTA_VIEWS_PER_ADDRESS_ARTICLE = env_int("SHPALTA_VIEWS_PER_ADDRESS_ARTICLE", 10)
SHPALTA_VIEWS_PER_ADDRESS_SITE = env_int("SHPALTA_VIEWS_PER_ADDRESS_SITE", 100)
SHPALTA_POPULAR_CACHE_SECONDS = env_int("SHPALTA_POPULAR_CACHE_SECONDS", 60)
SHPALTA_POPULAR_HALF_LIFE_HOURS = env_int("SHPALTA_POPULAR_HALF_LIFE_HOURS", 0)
SHPALTA_POPULAR_REDIS_PREFIX = env_str("SHPALTA_POPULAR_REDIS_PREFIX", "shpalta:popular:")

# Ads and promo spots (shpalta.ads): https origins of ad networks whose scripts and frames the
# CSP admits (empty: none, the site's own policy); impression beacons one client may send a
# minute; the Redis key prefix of impression and click marks.
SHPALTA_ADS_NETWORK_HOSTS = env_list("SHPALTA_ADS_NETWORK_HOSTS")
SHPALTA_ADS_IMPRESSIONS_PER_MINUTE = env_int("SHPALTA_ADS_IMPRESSIONS_PER_MINUTE", 300)
SHPALTA_ADS_REDIS_PREFIX = env_str("SHPALTA_ADS_REDIS_PREFIX", "shpalta:ads:")

# Search: searches one client may run per window of seconds (page and API together).
SHPALTA_SEARCH_RATE_LIMIT = env_int("SHPALTA_SEARCH_RATE_LIMIT", 60)
SHPALTA_SEARCH_RATE_WINDOW = env_int("SHPALTA_SEARCH_RATE_WINDOW", 60)
# Where rate limits count without Redis (shpalta.ops.ratelimit): "file", a small SQLite file in
# the data dir shared by every process; "process", each process on its own (N workers: N times
# the limit).
SHPALTA_RATELIMIT_STORE = env_str("SHPALTA_RATELIMIT_STORE", "file")
if SHPALTA_RATELIMIT_STORE not in {"file", "process"}:
    raise ImproperlyConfigured(
        f"SHPALTA_RATELIMIT_STORE={SHPALTA_RATELIMIT_STORE!r}: use 'file' or 'process'."
    )

# "Більше подібного" (shpalta.related): list length, how much a story's date counts (0 = not at
# all; a story `HALF_LIFE_DAYS` older keeps 1 - RECENCY/2 of its score) and the similarity below
# which nothing is shown.
SHPALTA_RELATED_SIZE = env_int("SHPALTA_RELATED_SIZE", 8)
SHPALTA_RELATED_RECENCY = env_float("SHPALTA_RELATED_RECENCY", 0.3)
SHPALTA_RELATED_HALF_LIFE_DAYS = env_float("SHPALTA_RELATED_HALF_LIFE_DAYS", 30.0)
SHPALTA_RELATED_MIN_SIMILARITY = env_float("SHPALTA_RELATED_MIN_SIMILARITY", 0.05)

# Importers: every outbound fetch (feeds) ends within DEADLINE seconds in all and reads at most
# MAX_BYTES (also the cap on a feed file); loopback, private and link-local addresses are
# refused on every redirect hop unless ALLOW_PRIVATE, or the host is named in ALLOW_HOSTS.
SHPALTA_FETCH_DEADLINE_SECONDS = env_float("SHPALTA_FETCH_DEADLINE_SECONDS", 60.0)
SHPALTA_FETCH_MAX_BYTES = env_int("SHPALTA_FETCH_MAX_BYTES", 20 * 1024 * 1024)
SHPALTA_FETCH_ALLOW_PRIVATE = env_bool("SHPALTA_FETCH_ALLOW_PRIVATE", False)
SHPALTA_FETCH_ALLOW_HOSTS = env_list("SHPALTA_FETCH_ALLOW_HOSTS")
# One imported item (a file, a WXR post, a .gz once decompressed) may be at most this big.
SHPALTA_IMPORT_MAX_ITEM_BYTES = env_int("SHPALTA_IMPORT_MAX_ITEM_BYTES", 20 * 1024 * 1024)
# The photo library (shpalta.photos): the largest upload kept, in bytes and in pixels (a
# decompression bomb is refused by its header before any pixel is decoded).
SHPALTA_IMAGE_MAX_BYTES = env_int("SHPALTA_IMAGE_MAX_BYTES", 30 * 1024 * 1024)
SHPALTA_IMAGE_MAX_PIXELS = env_int("SHPALTA_IMAGE_MAX_PIXELS", 50_000_000)

# Telegram channel autopost (shpalta.telegram): on with a bot token and a channel (@name or
# -100… id). The API address can point at a self-hosted Bot API server; every call has a total
# deadline of TIMEOUT seconds and is tried ATTEMPTS times on 429/5xx/timeouts.
SHPALTA_TELEGRAM_BOT_TOKEN = env_str("SHPALTA_TELEGRAM_BOT_TOKEN")
SHPALTA_TELEGRAM_CHAT_ID = env_str("SHPALTA_TELEGRAM_CHAT_ID")
SHPALTA_TELEGRAM_API_URL = env_str("SHPALTA_TELEGRAM_API_URL", "https://api.telegram.org")
SHPALTA_TELEGRAM_DELETE_ON_UNPUBLISH = env_bool("SHPALTA_TELEGRAM_DELETE_ON_UNPUBLISH", False)
SHPALTA_TELEGRAM_TIMEOUT = env_float("SHPALTA_TELEGRAM_TIMEOUT", 10.0)
SHPALTA_TELEGRAM_ATTEMPTS = env_int("SHPALTA_TELEGRAM_ATTEMPTS", 5)

# E-mail (the newsletter): SHPALTA_EMAIL_URL=smtp://user:password@host:587?tls=1 (or ?ssl=1,
# or smtps://…). Without it nothing is sent: DEBUG prints messages on the console instead.
EMAIL_URL = env_str("SHPALTA_EMAIL_URL")
globals().update(email_settings(EMAIL_URL, DEBUG))
DEFAULT_FROM_EMAIL = env_str("SHPALTA_EMAIL_FROM", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The daily digest (shpalta.newsletter): local time (Europe/Kyiv) it goes out, how many top
# stories it lists, messages per SMTP connection, confirmation requests per client an hour, and
# after how many silent seconds a sender counts as dead and its issue is resumed by another.
SHPALTA_NEWSLETTER_TIME = env_str("SHPALTA_NEWSLETTER_TIME", "08:00")
SHPALTA_NEWSLETTER_TOP = env_int("SHPALTA_NEWSLETTER_TOP", 5)
SHPALTA_NEWSLETTER_BATCH = env_int("SHPALTA_NEWSLETTER_BATCH", 100)
SHPALTA_NEWSLETTER_RATE_LIMIT = env_int("SHPALTA_NEWSLETTER_RATE_LIMIT", 10)
SHPALTA_NEWSLETTER_STALE_SECONDS = env_float("SHPALTA_NEWSLETTER_STALE_SECONDS", 120.0)
