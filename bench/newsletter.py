"""The daily digest to 10,000 subscribers through a local SMTP server (aiosmtpd), in-run baseline.

Two runs, each in a fresh child process so each has its own peak memory (ru_maxrss):

- digest: `shpalta.newsletter.sending.send_issue` for the day's digest on a fresh SQLite site
  with N confirmed subscribers: rendering once, enrolling a delivery record per reader, claiming
  each batch, making each reader's copy (own unsubscribe link, RFC 8058 headers) and recording
  each message sent;
- baseline: one pre-rendered message sent N times over the same SMTP server, in batches of the
  same size per connection, with no database: what the SMTP exchange alone costs.

The SMTP server (aiosmtpd's Sink, which accepts and discards) runs in its own process.

    .venv/bin/python bench/newsletter.py                    # 10,000 subscribers (~1 min)
    .venv/bin/python bench/newsletter.py --subscribers 2000
"""

import argparse
import json
import resource
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _support import free_port, setup_django

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BATCH = 100


def smtp_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c",
         "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the SMTP server did not start")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def digest(subscribers: int, port: int, sample: str) -> dict:
    """The real send, on a site filled with subscribers and a day's stories with views."""
    setup_django(
        tempfile.mkdtemp(prefix="bench-newsletter-"),
        quiet=("django_tasks", "shpalta.newsletter", "pymorphy3"),
        SHPALTA_EMAIL_URL=f"smtp://127.0.0.1:{port}",
        SHPALTA_NEWSLETTER_BATCH=str(BATCH),
        SHPALTA_SITE_URL="https://shpalta.example",
    )
    from shpalta.news import factories
    from shpalta.newsletter import schedule, sending
    from shpalta.newsletter.models import Delivery, Subscriber
    from shpalta.popular.models import HourlyViews

    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for n in range(8):
        story = factories.article(f"Новина дня номер {n}", lead="Короткий виклад новини дня.")
        HourlyViews.objects.create(article=story, hour=hour, views=100 - n)
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.com", status="confirmed") for n in range(subscribers)
    )
    before = peak_mib()
    started = time.perf_counter()
    issue, _ = schedule.todays_digest()
    counts = sending.send_issue(issue.pk)
    seconds = time.perf_counter() - started
    assert counts["sent"] == subscribers, counts
    assert Delivery.objects.filter(status="sent").count() == subscribers
    first = Subscriber.objects.order_by("pk").first()
    issue.refresh_from_db()
    Path(sample).write_bytes(
        sending.message(issue, first.pk, first.email).message().as_bytes(linesep="\r\n")
    )
    return {"messages": subscribers, "seconds": seconds, "peak_mib": peak_mib(),
            "peak_before_mib": before}  # fmt: skip


def baseline(subscribers: int, port: int, sample: str) -> dict:
    """The digest's own first message, as the digest run rendered it, sent N times with
    smtplib, BATCH per connection, no database: the SMTP exchange alone."""
    raw = Path(sample).read_bytes()
    before = peak_mib()
    started = time.perf_counter()
    for _ in range(0, subscribers, BATCH):
        with smtplib.SMTP("127.0.0.1", port, timeout=20) as smtp:
            for _ in range(BATCH):
                smtp.sendmail("news@example.com", ["reader@example.com"], raw)
    seconds = time.perf_counter() - started
    return {"messages": subscribers, "seconds": seconds, "peak_mib": peak_mib(),
            "peak_before_mib": before}  # fmt: skip


def child(kind: str, subscribers: int, port: int, sample: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--subscribers", str(subscribers),
         "--port", str(port), "--sample", sample],
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"{kind} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--child", choices=["digest", "baseline"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--sample", help="where the digest run leaves one rendered message")
    args = parser.parse_args()
    if args.child:
        run = digest if args.child == "digest" else baseline
        print(json.dumps(run(args.subscribers, args.port, args.sample)))
        return
    port = free_port()
    server = smtp_server(port)
    sample = str(Path(tempfile.mkdtemp(prefix="bench-newsletter-")) / "message.eml")
    try:
        # the digest first: it renders the message the baseline then sends as it is
        rows = {
            kind: child(kind, args.subscribers, port, sample) for kind in ("digest", "baseline")
        }
    finally:
        server.terminate()
        server.wait(10)
    report(rows, args.subscribers)


def report(rows: dict, subscribers: int) -> None:
    head = f"{'run':<40}{'messages':>9}{'seconds':>9}{'msg/s':>8}{'peak MiB':>10}{'at start':>10}"
    print(head + "\n" + "-" * len(head))
    labels = {
        "digest": "digest: a copy + record per reader",
        "baseline": "baseline: 1 pre-rendered message ×N",
    }
    for kind, row in rows.items():
        row["per_second"] = row["messages"] / row["seconds"]
        print(
            f"{labels[kind]:<40}{row['messages']:>9,}{row['seconds']:>9.1f}"
            f"{row['per_second']:>8,.0f}{row['peak_mib']:>10.0f}{row['peak_before_mib']:>10.0f}"
        )
    ratio = rows["digest"]["per_second"] / rows["baseline"]["per_second"]
    print(f"\ndigest rate = {ratio:.2f} × the baseline's; SMTP server: aiosmtpd Sink, 127.0.0.1")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "newsletter.json"
    out.write_text(json.dumps({"subscribers": subscribers, "batch": BATCH, **rows}, indent=2))
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
