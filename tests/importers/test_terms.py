"""Source categories to Shpalta rows: a nested category costs one level of work, not the
whole chain again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shpalta.importers.items import TermRef
from shpalta.importers.terms import Terms


def chain(depth: int) -> TermRef:
    ref = None
    for level in range(depth):
        ref = TermRef(f"Рубрика {level}", key=f"r{level}", parent=ref)
    return ref


def queries(resolve) -> int:
    with CaptureQueriesContext(connection) as captured:
        resolve()
    return len(captured)


@pytest.mark.django_db
def test_a_child_of_a_known_parent_costs_what_a_root_costs():
    resolver = Terms()
    resolver.category(TermRef("Інше", key="other"), "wxr:test")  # the first save sets up more
    root_cost = queries(lambda: resolver.category(chain(1), "wxr:test"))
    for depth in range(2, 6):
        cost = queries(lambda depth=depth: resolver.category(chain(depth), "wxr:test"))
        assert cost == root_cost, depth
    deepest = resolver.category(chain(5), "wxr:test")
    names = []
    while deepest is not None:
        names.append(deepest.name)
        deepest = deepest.parent
    assert names == [f"Рубрика {level}" for level in range(4, -1, -1)]
