"""What the related app tells the rest of the site (its receivers are wired in shpalta.changes)."""

from django.dispatch import Signal

# Sent after stored lists changed (a background update, a refill, a rebuild): pages that show
# them must be rendered again. No arguments beyond `sender`.
lists_changed = Signal()
