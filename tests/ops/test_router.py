"""Read replicas: anonymous readers read from the replica, editors and writes from the primary."""

import json

import pytest
from django.test import RequestFactory

from shpalta.db_router import (
    PRIMARY,
    REPLICA,
    ReplicaMiddleware,
    ReplicaRouter,
    reading_from_replica,
    replica_enabled,
)
from shpalta.news.models import Article

from .scratch import env_for, scratch_database, shpalta

router = ReplicaRouter()


def test_outside_a_reader_request_everything_reads_from_the_primary():
    assert router.db_for_read(Article) == PRIMARY


def test_reader_requests_read_from_the_replica_and_write_to_the_primary():
    with reading_from_replica():
        assert router.db_for_read(Article) == REPLICA
        assert router.db_for_write(Article) == PRIMARY
        # read-your-writes: after a write the rest of the request reads the primary
        assert router.db_for_read(Article) == PRIMARY
    assert not replica_enabled()


def test_the_task_queue_and_sessions_are_never_read_from_a_replica():
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    with reading_from_replica():
        assert router.db_for_read(DBTaskResult) == PRIMARY
        assert router.db_for_read(Session) == PRIMARY


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate(PRIMARY, "news")
    assert not router.allow_migrate(REPLICA, "news")


@pytest.mark.parametrize(
    ("method", "path", "cookies", "replica"),
    [
        ("GET", "/novyny/x/", {}, True),
        ("HEAD", "/", {}, True),
        ("POST", "/api/views", {}, False),
        ("GET", "/admin/news/article/", {}, False),
        ("GET", "/novyny/x/", {"sessionid": "abc"}, False),
    ],
)
def test_the_middleware_picks_the_replica_only_for_anonymous_safe_requests(
    method, path, cookies, replica
):
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies)
    seen = []
    middleware = ReplicaMiddleware(lambda r: seen.append(replica_enabled()))
    middleware(request)
    assert seen == [replica]
    assert not replica_enabled()


CHECK = """
import json
from django.test import Client
from shpalta.db_router import reading_from_replica
from shpalta.news.models import Article, Tag
slug = {slug!r}
out = {{}}
out["anonymous"] = Client().get(f"/novyny/{{slug}}/").status_code
editor = Client()
editor.cookies["sessionid"] = "no-such-session"
out["editor"] = editor.get(f"/novyny/{{slug}}/").status_code
with reading_from_replica():
    out["before_write"] = Article.objects.filter(slug=slug).exists()
    Tag.objects.create(name="written-in-a-reader-request")
    out["after_write"] = Article.objects.filter(slug=slug).exists()
out["tag_on_primary"] = Tag.objects.using("default").filter(name__startswith="written").exists()
out["tag_on_replica"] = Tag.objects.using("replica").filter(name__startswith="written").exists()
print(json.dumps(out))
"""

VERSION_ROW = """
from shpalta.caching import versioning
versioning.current()
"""

PUBLISH = """
from shpalta.news import factories
print(factories.article("Новина, якої ще немає на репліці").slug)
"""


@pytest.mark.django_db(transaction=True)
def test_a_lagging_replica_serves_readers_while_editors_see_the_primary(tmp_path):
    with scratch_database(tmp_path) as primary:
        env = env_for(primary, tmp_path, SHPALTA_PAGE_CACHE="0")
        shpalta("migrate", "--noinput", "-v0", env=env)
        # A replica in service has the site-version row that every reader request reads (the
        # fragment cache keys on it): made before the copy, as it would have been replicated.
        # Without it the reader request writes the row to the primary, and read-your-writes
        # then rightly sends the rest of that request to the primary.
        shpalta("shell", "-v0", "-c", VERSION_ROW, env=env)
        with scratch_database(tmp_path, template=primary) as replica:
            # Published after the replica was copied: replication has not caught up yet.
            slug = shpalta("shell", "-v0", "-c", PUBLISH, env=env).stdout.strip()
            both = env | {"SHPALTA_DATABASE_REPLICA_URL": replica}
            out = shpalta("shell", "-v0", "-c", CHECK.format(slug=slug), env=both).stdout
    assert json.loads(out.strip().splitlines()[-1]) == {
        "anonymous": 404,
        "editor": 200,
        "before_write": False,
        "after_write": True,
        "tag_on_primary": True,
        "tag_on_replica": False,
    }
