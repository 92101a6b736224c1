"""Helper process for test_ratelimit_processes: hits one client's budget from several threads.

Run as `python -m tests.ops.ratelimit_hammer SPEC_JSON` with SHPALTA_DATA_DIR set (no Redis):
a separate Django, as a server worker is. Prints how many of its hits were allowed.
"""

import json
import os
import sys
import threading
import time


def main(spec: dict) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shpalta.settings")
    import django

    django.setup()
    from shpalta.ops import ratelimit

    allowed = []
    lock = threading.Lock()

    def hammer():
        mine = 0
        for _ in range(spec["hits"]):
            ok, _retry = ratelimit.hit("test", spec["client"], spec["limit"], spec["window"])
            mine += ok
        with lock:
            allowed.append(mine)

    threads = [threading.Thread(target=hammer) for _ in range(spec["threads"])]
    time.sleep(max(0.0, spec["start_at"] - time.time()))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"allowed": sum(allowed)}))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
