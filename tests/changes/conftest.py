import pytest
from django_tasks.signals import task_enqueued


@pytest.fixture
def enqueued():
    """(task name, args) of every task enqueued while the test runs, in order."""
    seen: list[tuple[str, tuple]] = []

    def record(sender, task_result, **kwargs):
        seen.append((task_result.task.name, tuple(task_result.args)))

    task_enqueued.connect(record, dispatch_uid="tests-enqueued")
    yield seen
    task_enqueued.disconnect(dispatch_uid="tests-enqueued")
