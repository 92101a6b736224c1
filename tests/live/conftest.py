"""A published story run as a live page, for the live coverage tests."""

import pytest

from shpalta.live import service
from shpalta.news import factories


@pytest.fixture
def story(db):
    article = factories.article("Атака дронів на Київ: онлайн", category=factories.category("Київ"))
    service.start(article.pk, summary="Тривога триває.")
    return article
