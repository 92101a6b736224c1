"""A task for the worker tests: it records which process started and which finished it."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_marker(folder: str, seconds: float) -> int:
    Path(folder, f"started-{os.getpid()}").touch()
    time.sleep(seconds)
    Path(folder, "finished").write_text(str(os.getpid()))
    return os.getpid()
