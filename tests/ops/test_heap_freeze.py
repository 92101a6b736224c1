"""The app server's workers leave their long-lived heap out of Python's garbage collector:
frozen once the app is loaded and once more after the first requests (ops.server.HeapFreezer),
so a full collection no longer walks it in the middle of a request."""

import gc
import importlib
import json
import weakref

import pytest
from gunicorn.config import Config

from shpalta.ops import server


@pytest.fixture(autouse=True)
def _unfrozen_after():
    yield
    gc.unfreeze()


def test_loading_the_worker_freezes_what_is_alive():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    server.HeapFreezer().post_worker_init(worker=None)
    assert gc.get_freeze_count() > 10_000  # Django, the site's apps and models


def test_the_warm_heap_is_frozen_again_once_after_the_first_requests():
    freezer = server.HeapFreezer(warm_requests=3)
    gc.unfreeze()
    for _ in range(2):
        freezer.post_request(None, None, {}, None)
    assert gc.get_freeze_count() == 0
    loaded = [object() for _ in range(1000)]  # what the first requests left alive
    freezer.post_request(None, None, {}, None)
    frozen = gc.get_freeze_count()
    assert frozen >= len(loaded)
    gc.unfreeze()
    for _ in range(5):
        freezer.post_request(None, None, {}, None)
    assert gc.get_freeze_count() == 0  # once only: later requests' objects stay collectable


def test_garbage_is_collected_before_the_freeze():
    gc.unfreeze()

    class Cycle:
        pass

    garbage = Cycle()
    garbage.me = garbage
    gone = weakref.ref(garbage)
    del garbage
    server.freeze_heap()
    assert gone() is None  # collected, not frozen alive for the worker's lifetime


def test_gunicorn_takes_the_hooks_from_the_serve_configuration(monkeypatch):
    monkeypatch.setenv(server.OPTIONS_VARIABLE, json.dumps({"workers": 2}))
    conf = importlib.reload(importlib.import_module("shpalta.ops.gunicorn_conf"))
    config = Config()
    for name in ("post_worker_init", "post_request"):
        config.set(name, getattr(conf, name))
    assert config.post_worker_init.__self__ is conf._freezer
    assert config.post_request.__func__ is server.HeapFreezer.post_request
    assert conf.workers == 2  # the options still reach gunicorn
