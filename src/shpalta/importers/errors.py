"""The one error type importers raise for bad input (kept free of Django imports)."""


class ItemError(Exception):
    """A bad item (or a bad file): reported by name and reason, and the run goes on."""
