"""The backend for the database in use: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from django.db import connection

from . import postgres, sqlite
from .base import Candidate, Filters, SearchBackend

MODULES = {"sqlite": sqlite, "postgresql": postgres}
BACKENDS = {"sqlite": sqlite.SQLiteBackend, "postgresql": postgres.PostgresBackend}


def statements(vendor: str, action: str) -> list[str]:
    """DDL for a vendor's index tables; other databases get no index (and search says so)."""
    module = MODULES.get(vendor)
    return getattr(module, action.upper(), []) if module else []


def get_backend() -> SearchBackend:
    backend = BACKENDS.get(connection.vendor)
    if backend is None:
        raise NotImplementedError(f"search has no backend for {connection.vendor}")
    return backend()


__all__ = ["Candidate", "Filters", "SearchBackend", "get_backend", "statements"]
