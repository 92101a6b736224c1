"""Log lines as JSON objects, one per line, for log shippers (journald, Loki, ELK, CloudWatch).

Imported by the settings module, so it must not import Django models or settings.
"""

import json
import logging
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured

FORMATS = ("plain", "json")
# Attributes every LogRecord has; anything else on a record was passed as `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        entry.update(_extra_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _extra_fields(record: logging.LogRecord) -> dict:
    fields = {}
    for key, value in vars(record).items():
        if key in _STANDARD or key.startswith("_"):
            continue
        if key == "request":  # django.request passes the HttpRequest itself
            fields["method"] = getattr(value, "method", None)
            fields["path"] = getattr(value, "path", None)
            continue
        fields[key] = value
    return fields


def logging_config(fmt: str = "plain", level: str = "INFO") -> dict:
    """The LOGGING dict for the settings: everything to stderr, plain text or JSON lines."""
    if fmt not in FORMATS:
        raise ImproperlyConfigured(f"SHPALTA_LOG_FORMAT={fmt!r}: use one of {', '.join(FORMATS)}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            "json": {"()": "shpalta.ops.logs.JsonFormatter"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": fmt}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
