"""Signals of the infrastructure that other apps may act on without ops knowing them."""

from django.dispatch import Signal

# Sent by every `shpalta worker` on each heartbeat (every few seconds): periodic work (the
# Telegram catch-up sweep, the daily newsletter) is queued from receivers wired in
# shpalta.changes.receivers, so no cron is needed beside the worker.
worker_beat = Signal()
