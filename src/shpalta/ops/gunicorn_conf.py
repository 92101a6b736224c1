"""gunicorn's configuration, as `shpalta serve` worked it out (see shpalta.ops.server)."""

import json
import os

from shpalta.ops.server import OPTIONS_VARIABLE, HeapFreezer

globals().update(json.loads(os.environ[OPTIONS_VARIABLE]))

# Each worker leaves its long-lived heap out of the garbage collector (see HeapFreezer).
_freezer = HeapFreezer()
post_worker_init = _freezer.post_worker_init
post_request = _freezer.post_request
