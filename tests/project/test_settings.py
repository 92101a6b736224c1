"""The settings refuse unsafe production configurations and start with none at all."""

import os
import subprocess
import sys

import pytest


def load_settings(tmp_path, **env):
    """Import the settings in a fresh interpreter with only the given SHPALTA_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    clean |= {"SHPALTA_DATA_DIR": str(tmp_path), **env}
    code = "import shpalta.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )


def test_a_local_install_starts_with_no_configuration(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_generated_key_is_private_from_the_moment_it_is_created(tmp_path):
    """With chmod disabled, only the mode the file was created with keeps other users out."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    clean |= {"SHPALTA_DATA_DIR": str(tmp_path)}
    code = (
        "import os, pathlib; os.umask(0o022); "
        "pathlib.Path.chmod = os.chmod = lambda *args, **kwargs: None; "
        "import shpalta.settings"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_generated_local_key_is_kept_between_starts(tmp_path):
    load_settings(tmp_path)
    key = (tmp_path / "secret_key").read_text()
    load_settings(tmp_path)
    assert (tmp_path / "secret_key").read_text() == key


def test_public_hosts_without_a_secret_key_refuse_to_start(tmp_path):
    result = load_settings(tmp_path, SHPALTA_ALLOWED_HOSTS="news.example.ua")
    assert result.returncode != 0
    assert "SHPALTA_SECRET_KEY is not set" in result.stderr


def test_debug_with_public_hosts_refuses_to_start(tmp_path):
    result = load_settings(
        tmp_path,
        SHPALTA_ALLOWED_HOSTS="news.example.ua",
        SHPALTA_SECRET_KEY="x" * 50,
        SHPALTA_DEBUG="1",
    )
    assert result.returncode != 0
    assert "SHPALTA_DEBUG is on" in result.stderr


def test_a_bad_boolean_is_a_clear_error(tmp_path):
    result = load_settings(tmp_path, SHPALTA_DEBUG="maybe")
    assert result.returncode != 0
    assert "SHPALTA_DEBUG='maybe' is not a yes/no value" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgres://postgres@127.0.0.1:5432/test", "django.db.backends.postgresql"),
        ("sqlite:////tmp/other.sqlite3", "django.db.backends.sqlite3"),
    ],
)
def test_the_database_comes_from_the_url(tmp_path, url, engine):
    result = load_settings(tmp_path, SHPALTA_DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == engine


def test_the_default_sqlite_database_runs_in_wal_mode(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    clean |= {"SHPALTA_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "shpalta.settings"}
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "wal", result.stderr
    assert (tmp_path / "shpalta.sqlite3").exists()


def test_the_sqlite_database_is_private_like_the_key(tmp_path):
    """Created 0600 before SQLite opens it (not 0644 under the usual umask), as are its WAL and
    shared-memory files, which SQLite creates with the database's own mode."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    clean |= {"SHPALTA_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "shpalta.settings"}
    code = (
        "import os; os.umask(0o022); import django; django.setup(); "
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('CREATE TABLE t (x)'); c.execute('INSERT INTO t VALUES (1)')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    database = tmp_path / "shpalta.sqlite3"
    assert database.stat().st_mode & 0o777 == 0o600
    for side in (tmp_path / "shpalta.sqlite3-wal", tmp_path / "shpalta.sqlite3-shm"):
        if side.exists():
            assert side.stat().st_mode & 0o077 == 0, side


def test_an_existing_sqlite_database_readable_by_others_is_made_private(tmp_path):
    database = tmp_path / "shpalta.sqlite3"
    database.touch(mode=0o644)
    database.chmod(0o644)
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert database.stat().st_mode & 0o777 == 0o600
