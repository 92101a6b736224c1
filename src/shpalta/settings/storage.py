"""Where uploaded media (the photo library's originals and renditions) is kept, chosen by the
environment: the local filesystem under SHPALTA_MEDIA_DIR by default, or an S3-compatible
bucket (AWS S3, Cloudflare R2, MinIO, Backblaze B2, Hetzner…) through django-storages with
SHPALTA_MEDIA_STORAGE=s3. The code only uses Django's storage API, so nothing else changes.

A bucket chosen but not fully described stops the start with a message naming what is
missing: a site that quietly fell back to the local disk would lose every upload with its
next deploy. The access key and secret sit in STORAGES["default"]["OPTIONS"] under the names
`access_key` and `secret_key`, which error reports mask by name (ops/reports.py).
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .env import env_str

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
REQUIRED = {
    "SHPALTA_S3_BUCKET": "bucket_name",
    "SHPALTA_S3_ACCESS_KEY_ID": "access_key",
    "SHPALTA_S3_SECRET_ACCESS_KEY": "secret_key",
}
OPTIONAL = {
    "SHPALTA_S3_REGION": "region_name",
    "SHPALTA_S3_ENDPOINT_URL": "endpoint_url",
    "SHPALTA_S3_CUSTOM_DOMAIN": "custom_domain",
    "SHPALTA_S3_PREFIX": "location",
    "SHPALTA_S3_ADDRESSING_STYLE": "addressing_style",
}


def media_storage() -> dict:
    """STORAGES["default"] as the environment asks for it."""
    kind = env_str("SHPALTA_MEDIA_STORAGE", "filesystem").lower()
    if kind in ("", "filesystem"):
        return {"BACKEND": FILESYSTEM}
    if kind != "s3":
        raise ImproperlyConfigured(
            f"SHPALTA_MEDIA_STORAGE={kind!r} is not a storage Shpalta knows: set it to "
            "'filesystem' (the default, files under SHPALTA_MEDIA_DIR) or 's3' (an "
            "S3-compatible bucket, see docs/deployment.md)."
        )
    missing = [name for name in REQUIRED if not env_str(name)]
    if missing:
        raise ImproperlyConfigured(
            f"SHPALTA_MEDIA_STORAGE=s3 needs {', '.join(REQUIRED)}; not set: "
            f"{', '.join(missing)}. Set them (see docs/deployment.md) or unset "
            "SHPALTA_MEDIA_STORAGE to keep media on the local disk."
        )
    options = {option: env_str(name) for name, option in REQUIRED.items()}
    options |= {option: env_str(name) for name, option in OPTIONAL.items() if env_str(name)}
    endpoint = options.get("endpoint_url")
    if endpoint and (urlsplit(endpoint).scheme not in ("http", "https") or "@" in endpoint):
        raise ImproperlyConfigured(
            f"SHPALTA_S3_ENDPOINT_URL={endpoint!r} must be an http:// or https:// address "
            "without credentials (for example https://s3.eu-central-1.amazonaws.com); the keys "
            "go in SHPALTA_S3_ACCESS_KEY_ID and SHPALTA_S3_SECRET_ACCESS_KEY."
        )
    style = options.get("addressing_style")
    if style and style not in ("path", "virtual", "auto"):
        raise ImproperlyConfigured(
            f"SHPALTA_S3_ADDRESSING_STYLE={style!r}: use 'path' (MinIO and most self-hosted "
            "servers), 'virtual' or 'auto'."
        )
    if "custom_domain" in options:  # a CDN or public host in front of the bucket: bare host
        options["custom_domain"] = options["custom_domain"].split("://")[-1].strip("/")
    # Files are named by their content (photos/…/<sha256>.jpg), so a name never changes meaning;
    # nothing is public by the bucket's ACL unless the operator makes it so.
    options |= {"file_overwrite": True, "default_acl": None}
    return {"BACKEND": S3, "OPTIONS": options}
