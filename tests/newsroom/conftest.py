"""People of the newsroom, one per role, and a client logged in as any of them."""

import pytest
from django.test import Client

from shpalta.newsroom.roles import ADMINISTRATOR, AUTHOR, CHIEF, EDITOR, member

ROLE_NAMES = [AUTHOR, EDITOR, CHIEF, ADMINISTRATOR]


@pytest.fixture
def people(db):
    """One member per role, plus a second author whose drafts the first must never reach."""
    found = {
        role: member(f"user{n}", role, email=f"user{n}@redakciya.test", first_name=role)
        for n, role in enumerate(ROLE_NAMES)
    }
    found["other author"] = member("other", AUTHOR, email="other@redakciya.test")
    return found


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
