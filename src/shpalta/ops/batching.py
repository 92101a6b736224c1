"""One way to split work into batches: `batched` (Python 3.11 has no `itertools.batched`)."""

from collections.abc import Iterable, Iterator
from itertools import islice


def batched(items: Iterable, size: int) -> Iterator[list]:
    """The items in order, in lists of `size` (the last one shorter); a generator or a queryset
    iterator is read a batch at a time, never held whole."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
