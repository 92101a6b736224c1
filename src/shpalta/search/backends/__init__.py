"""The backend for the database in use: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from django.db import connection

from .base import Candidate, Filters, SearchBackend


def statements(vendor: str, action: str) -> list[str]:
    """DDL for a vendor's index tables; other databases get no index (and search says so)."""
    if vendor == "sqlite":
        from . import sqlite as module
    elif vendor == "postgresql":
        from . import postgres as module
    else:
        return []
    return getattr(module, action.upper(), [])


def get_backend() -> SearchBackend:
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend()
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")


__all__ = ["Candidate", "Filters", "SearchBackend", "get_backend", "statements"]
