"""gunicorn's configuration, as `shpalta serve` worked it out (see shpalta.ops.server)."""

import json
import os

from shpalta.ops.server import OPTIONS_VARIABLE

globals().update(json.loads(os.environ[OPTIONS_VARIABLE]))
