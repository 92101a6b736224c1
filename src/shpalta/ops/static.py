"""Collect static files only when they changed, so `shpalta serve` starts fast every time."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

STAMP_NAME = ".shpalta-static-stamp"


def source_fingerprint() -> str:
    """A hash over every source static file's name, size and modification time."""
    digest = hashlib.sha256()
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(ignore_patterns=["CVS", ".*", "*~"]):
            stat = Path(storage.path(path)).stat()
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    digest.update(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    return digest.hexdigest()


def ensure_static(log=print) -> bool:
    """Run collectstatic if STATIC_ROOT is missing or older than the sources; True if it ran."""
    root = Path(settings.STATIC_ROOT)
    stamp = root / STAMP_NAME
    fingerprint = source_fingerprint()
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    complete = manifest is None or (root / manifest).exists()
    if complete and stamp.exists() and stamp.read_text() == fingerprint:
        return False
    log(f"collecting static files into {root}")
    # Old hashed files stay: pages cached by a CDN may still point at them.
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True
