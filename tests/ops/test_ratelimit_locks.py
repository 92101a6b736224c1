"""Opening the rate-limit store in one thread keeps the locks of the others' connections.

Closing any descriptor of a file drops every POSIX lock the process holds on it. The store once
created its file by opening and closing it before each thread's first connection, which dropped
the SQLite locks of the connections already open in that process; another process, seeing no
lock, reset the WAL under them, and a worker met SQLITE_IOERR_SHORT_READ on every request and
granted its every hit (a loaded CI run: 187 of a limit of 137).
"""

import subprocess
import sys
import threading

from shpalta.ops import ratelimit

# SQLite's unix VFS takes its SHARED lock on these bytes of the database file (os_unix.c).
SHARED_FIRST = 0x40000000 + 2
SHARED_SIZE = 510
TRY_EXCLUSIVE = f"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, {SHARED_SIZE}, {SHARED_FIRST})
except OSError:
    print("held")
else:
    print("free")
"""


def lock_state(path) -> str:
    run = subprocess.run(
        [sys.executable, "-c", TRY_EXCLUSIVE, str(path)], capture_output=True, text=True, timeout=30
    )
    return run.stdout.strip()


def test_a_second_thread_opening_the_store_keeps_the_first_ones_lock(settings, tmp_path):
    settings.REDIS_URL = ""
    settings.DATA_DIR = tmp_path
    settings.SHPALTA_RATELIMIT_STORE = "file"
    assert ratelimit.hit("locks", "a", 5, 3600)[0]  # this thread's connection, open from now on
    path = tmp_path / ratelimit.FILENAME
    assert lock_state(path) == "held"  # an open WAL connection keeps a SHARED lock
    other = threading.Thread(target=lambda: ratelimit.hit("locks", "a", 5, 3600))
    other.start()
    other.join()
    assert lock_state(path) == "held"
