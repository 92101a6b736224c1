"""Signals news sends for apps above it, which news itself must not know."""

from django.dispatch import Signal

# Sent by `shpalta load_demo` after the demo articles are in: apps above news add their own
# demo data (wired in shpalta.changes.receivers).
demo_loaded = Signal()
