"""Collect static files only when they changed, so `shpalta serve` starts fast every time."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from whitenoise.storage import CompressedManifestStaticFilesStorage

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
    log(f"збираю статичні файли в {root}")
    # Old hashed files stay: pages cached by a CDN may still point at them.
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, and the plain name for a file not collected yet.

    With DEBUG off, Django's manifest storage raises for a file missing from STATIC_ROOT, so a
    forgotten `collectstatic` (or `runserver` on a fresh checkout) would turn every page into
    an error. Falling back to the unhashed URL keeps the page up; whitenoise serves that name
    from the app directories (WHITENOISE_USE_FINDERS), with a short cache lifetime.
    """

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            return name
