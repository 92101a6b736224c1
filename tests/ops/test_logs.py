"""JSON log lines: one object per line, with the fields a log shipper can filter on."""

import json
import logging
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from shpalta.ops.logs import JsonFormatter, logging_config


def record(msg, *args, exc_info=None, **extra):
    rec = logging.LogRecord("shpalta.x", logging.WARNING, __file__, 1, msg, args, exc_info)
    rec.__dict__.update(extra)
    return rec


def test_a_record_becomes_one_line_of_json_with_its_extra_fields():
    line = JsonFormatter().format(record("%s переглядів", 5, article=7))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "5 переглядів"
    assert entry["level"] == "WARNING" and entry["logger"] == "shpalta.x"
    assert entry["article"] == 7
    assert entry["time"].endswith("+00:00")


def test_django_request_errors_name_the_method_and_path():
    request = RequestFactory().post("/api/views")
    entry = json.loads(JsonFormatter().format(record("boom", request=request, status_code=500)))
    assert entry["method"] == "POST" and entry["path"] == "/api/views"
    assert entry["status_code"] == 500


def test_exceptions_are_kept_inside_the_single_line():
    try:
        raise RuntimeError("зламалось")
    except RuntimeError:
        line = JsonFormatter().format(record("failed", exc_info=sys.exc_info()))
    assert "\n" not in line
    assert "RuntimeError: зламалось" in json.loads(line)["exception"]


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ImproperlyConfigured, match="SHPALTA_LOG_FORMAT"):
        logging_config("xml")
