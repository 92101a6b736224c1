"""One editor as its own process: `python -m tests.live.editor ARTICLE NAME COUNT START_AT`.

Waits until START_AT (a Unix time) so that two editors start together, then posts COUNT
entries through the same service as the admin's form and `shpalta live post`.
"""

import sys
import time

import django


def main(article_id: int, name: str, count: int, start_at: float) -> None:
    django.setup()
    from shpalta.live import service

    time.sleep(max(0.0, start_at - time.time()))
    for n in range(count):
        service.post(article_id, f"<p>{name}: оновлення {n}</p>")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
