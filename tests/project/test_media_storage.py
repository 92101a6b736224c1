"""Media in an S3-compatible bucket by configuration (issue 14, item 7): the settings, imported
in a fresh interpreter with the environment a deployment sets, give django-storages' S3 backend
with the bucket's options; a bucket chosen but not fully described stops the start with a
message naming what is missing; error reports never show the keys."""

import json
import os
import subprocess
import sys

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.ops.scratch import free_port

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage, storages
from shpalta.ops.reports import CredentialsFilter
storage = storages["default"]
safe = CredentialsFilter().get_safe_settings()["STORAGES"]["default"]
print(json.dumps({
    "backend": f"{type(storage).__module__}.{type(storage).__name__}",
    "default": type(default_storage._setup() or default_storage._wrapped).__name__,
    "options": settings.STORAGES["default"].get("OPTIONS", {}),
    "bucket": getattr(storage, "bucket_name", None),
    "endpoint": getattr(storage, "endpoint_url", None),
    "region": getattr(storage, "region_name", None),
    "url": storage.url("photos/ab/abc.jpg"),
    "safe": safe,
}))
"""
BUCKET = {
    "SHPALTA_MEDIA_STORAGE": "s3",
    "SHPALTA_S3_BUCKET": "shpalta-media",
    "SHPALTA_S3_ACCESS_KEY_ID": "AKIAEXAMPLEKEY123",
    "SHPALTA_S3_SECRET_ACCESS_KEY": "very-secret-value-9f8e7d",
    "SHPALTA_S3_ENDPOINT_URL": "https://s3.eu-central-003.backblazeb2.com",
    "SHPALTA_S3_REGION": "eu-central-003",
}


def settings_with(tmp_path, **variables) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    env = clean | {
        "DJANGO_SETTINGS_MODULE": "shpalta.settings",
        "SHPALTA_DATA_DIR": str(tmp_path),
        "SHPALTA_SECRET_KEY": "media-storage-test-secret-key-not-for-production",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )


def probe(tmp_path, **variables) -> dict:
    done = settings_with(tmp_path, **variables)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_by_default_media_stays_on_the_local_disk(tmp_path):
    seen = probe(tmp_path)
    assert seen["backend"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert seen["url"] == "/media/photos/ab/abc.jpg"


def test_s3_by_configuration_gives_the_bucket_with_its_options(tmp_path):
    seen = probe(tmp_path, **BUCKET)
    assert seen["backend"] == "storages.backends.s3.S3Storage"
    assert seen["default"] == "S3Storage"  # what the photo library writes through
    assert seen["options"] == {
        "bucket_name": "shpalta-media",
        "access_key": "AKIAEXAMPLEKEY123",
        "secret_key": "very-secret-value-9f8e7d",
        "region_name": "eu-central-003",
        "endpoint_url": "https://s3.eu-central-003.backblazeb2.com",
        "file_overwrite": True,
        "default_acl": None,
    }
    assert (seen["bucket"], seen["endpoint"], seen["region"]) == (
        "shpalta-media",
        "https://s3.eu-central-003.backblazeb2.com",
        "eu-central-003",
    )
    # without a custom domain the bucket's addresses are signed, for a private bucket
    assert seen["url"].startswith(
        "https://s3.eu-central-003.backblazeb2.com/shpalta-media/photos/ab/abc.jpg?"
    )
    assert "X-Amz-Signature=" in seen["url"] or "Signature=" in seen["url"]
    # the keys never reach an error report
    shown = json.dumps(seen["safe"])
    assert "AKIAEXAMPLEKEY123" not in shown and "very-secret-value-9f8e7d" not in shown
    assert "shpalta-media" in shown


def test_a_custom_domain_and_prefix_give_plain_public_addresses(tmp_path):
    seen = probe(
        tmp_path,
        **BUCKET,
        SHPALTA_S3_CUSTOM_DOMAIN="https://media.shpalta.example/",
        SHPALTA_S3_PREFIX="site",
        SHPALTA_S3_ADDRESSING_STYLE="path",
    )
    assert seen["options"]["custom_domain"] == "media.shpalta.example"
    assert seen["options"]["location"] == "site"
    assert seen["url"] == "https://media.shpalta.example/site/photos/ab/abc.jpg"


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {"SHPALTA_MEDIA_STORAGE": "s3", "SHPALTA_S3_BUCKET": "b"},
            "SHPALTA_MEDIA_STORAGE=s3 needs SHPALTA_S3_BUCKET, SHPALTA_S3_ACCESS_KEY_ID, "
            "SHPALTA_S3_SECRET_ACCESS_KEY; not set: SHPALTA_S3_ACCESS_KEY_ID, "
            "SHPALTA_S3_SECRET_ACCESS_KEY.",
        ),
        (
            BUCKET | {"SHPALTA_S3_SECRET_ACCESS_KEY": "  "},
            "not set: SHPALTA_S3_SECRET_ACCESS_KEY.",
        ),
        ({"SHPALTA_MEDIA_STORAGE": "gcs"}, "SHPALTA_MEDIA_STORAGE='gcs' is not a storage"),
        (
            BUCKET | {"SHPALTA_S3_ENDPOINT_URL": "ftp://user:pw@s3.example"},
            "must be an http:// or https:// address without credentials",
        ),
        (BUCKET | {"SHPALTA_S3_ADDRESSING_STYLE": "dns"}, "use 'path'"),
    ],
)
def test_an_incomplete_or_wrong_bucket_stops_the_start_with_a_clear_message(
    tmp_path, variables, expected
):
    done = settings_with(tmp_path, **variables)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and expected in done.stderr
    assert "very-secret-value-9f8e7d" not in done.stderr


ROUND_TRIP = """
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
name = default_storage.save("photos/ab/round-trip.jpg", ContentFile(b"\\xff\\xd8 photo bytes"))
with default_storage.open(name, "rb") as kept:
    print(name, kept.read() == b"\\xff\\xd8 photo bytes", default_storage.exists(name))
"""


def test_files_go_to_and_come_back_from_a_real_s3_server(tmp_path):
    """Against a local S3-compatible server the test starts (moto's, over HTTP): what the
    library stores lands in the bucket, not on the disk."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        keys = {"aws_access_key_id": "AKIAEXAMPLEKEY123", "aws_secret_access_key": "secret-9f8e"}
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
        client.create_bucket(Bucket="shpalta-media")
        variables = BUCKET | {
            "SHPALTA_S3_ENDPOINT_URL": endpoint,
            "SHPALTA_S3_REGION": "us-east-1",
            "SHPALTA_S3_ACCESS_KEY_ID": keys["aws_access_key_id"],
            "SHPALTA_S3_SECRET_ACCESS_KEY": keys["aws_secret_access_key"],
            "SHPALTA_S3_ADDRESSING_STYLE": "path",
        }
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SHPALTA_", "AWS_"))}
        env = clean | {
            "DJANGO_SETTINGS_MODULE": "shpalta.settings",
            "SHPALTA_DATA_DIR": str(tmp_path),
            "SHPALTA_SECRET_KEY": "media-storage-test-secret-key-not-for-production",
            **variables,
        }
        done = subprocess.run(
            [sys.executable, "-c", ROUND_TRIP], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["photos/ab/round-trip.jpg", "True", "True"]
        stored = client.get_object(Bucket="shpalta-media", Key="photos/ab/round-trip.jpg")
        assert stored["Body"].read() == b"\xff\xd8 photo bytes"
        assert not (tmp_path / "media" / "photos").exists()
    finally:
        server.stop()
