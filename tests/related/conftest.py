"""Publishing in tests goes through the real signals and tasks: the saving transaction's
commit callbacks are run, as they are after a real commit."""

import pytest

from shpalta.news import factories
from shpalta.related.models import RelatedLink


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def publish(story, **fields):
        title, body = story
        with django_capture_on_commit_callbacks(execute=True):
            return factories.article(title, body=f"<p>{body}</p>", **fields)

    return publish


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a block as if it were committed: signals' on-commit work happens at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def listed(article) -> list[int]:
    return list(
        RelatedLink.objects.filter(article=article)
        .order_by("rank")
        .values_list("related_id", flat=True)
    )
