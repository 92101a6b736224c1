"""Group commit: concurrent beacons in one process share one database transaction.

Why not a buffer flushed every N views or seconds: whatever sits in such a buffer dies
with the process (a deploy, an OOM kill, a crash), so it cannot promise that no count is
lost. Here a beacon is answered only after the transaction holding it has committed, yet
the database does not see one transaction per view: while one thread writes, the beacons
arriving meanwhile queue up, and the next thread to need a write takes them all in one
batch. Under low load a batch is one view (and adds no delay); under high load batches
grow by themselves. Nothing is held in memory once its request has been answered.
"""

import threading
from collections.abc import Callable, Sequence


class GroupCommit:
    """Calls `write(items) -> set_of_accepted_keys` for batches; `submit` blocks until done."""

    def __init__(self, write: Callable[[Sequence], set]):
        self._write = write
        self._cond = threading.Condition()
        self._pending: list = []
        self._next = 1  # number the pending batch will carry
        self._done = 0  # highest batch number that has finished
        self._busy = False
        self._results: dict[int, list] = {}  # number -> [readers left, accepted, error]

    def submit(self, item, key) -> bool:
        """True when `key` was accepted by the write that carried `item`."""
        with self._cond:
            self._pending.append(item)
            mine = self._next
            while self._done < mine and self._busy:
                self._cond.wait()
            if self._done < mine:
                batch, self._pending = self._pending, []
                self._next, self._busy = mine + 1, True
            else:
                return self._collect(mine, key)
        accepted, error = set(), None
        try:
            accepted = self._write(batch)
        except BaseException as exc:  # every waiter of this batch must see the failure
            error = exc
        with self._cond:
            self._results[mine] = [len(batch), accepted, error]
            self._done, self._busy = mine, False
            self._cond.notify_all()
            return self._collect(mine, key)

    def _collect(self, number: int, key) -> bool:
        result = self._results[number]
        result[0] -= 1
        if result[0] == 0:
            del self._results[number]
        if result[2] is not None:
            raise result[2]
        return key in result[1]
