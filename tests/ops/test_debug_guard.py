"""DEBUG pages show settings and code: with SHPALTA_DEBUG on the site must be reachable from this
machine only, whatever SHPALTA_ALLOWED_HOSTS says (a Host header of 127.0.0.1 is easy to send).

So `shpalta serve` refuses to listen beyond loopback with DEBUG on, and any server (runserver on
0.0.0.0, gunicorn started by hand) refuses requests from other machines while it is on.
"""

import pytest
from django.core.management import CommandError, call_command

from shpalta.ops.server import is_local_bind


@pytest.mark.parametrize(
    ("bind", "local"),
    [
        ("127.0.0.1:8000", True),
        ("127.0.0.2:8000", True),
        ("localhost:8000", True),
        ("[::1]:8000", True),
        ("unix:/run/shpalta.sock", True),
        ("0.0.0.0:8000", False),
        ("[::]:8000", False),
        (":8000", False),
        ("10.0.0.7:8000", False),
        ("news.example.ua:8000", False),
        ("8000", False),
    ],
)
def test_which_binds_stay_on_this_machine(bind, local):
    assert is_local_bind(bind) is local


@pytest.fixture
def no_gunicorn(monkeypatch):
    started = []
    module = "shpalta.ops.management.commands.serve"
    monkeypatch.setattr(f"{module}.exec_gunicorn", started.append)
    monkeypatch.setattr(f"{module}.ensure_static", lambda **kwargs: None)
    return started


def test_serve_with_debug_refuses_to_listen_beyond_loopback(settings, no_gunicorn):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="SHPALTA_DEBUG"):
        call_command("serve", "--bind", "0.0.0.0:8000", "--no-collectstatic")
    assert no_gunicorn == []
    call_command("serve", "--bind", "127.0.0.1:8000", "--no-collectstatic")
    assert len(no_gunicorn) == 1


def test_serve_without_debug_listens_anywhere(settings, no_gunicorn):
    settings.DEBUG = False
    call_command("serve", "--bind", "0.0.0.0:8000", "--no-collectstatic")
    assert len(no_gunicorn) == 1


@pytest.mark.django_db
def test_with_debug_on_only_this_machine_gets_an_answer(client, settings):
    settings.DEBUG = True
    outside = client.get("/", REMOTE_ADDR="203.0.113.5", HTTP_HOST="127.0.0.1")
    assert outside.status_code == 403
    assert b"Traceback" not in outside.content and b"SHPALTA_DEBUG" in outside.content
    spoofed = client.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert spoofed.status_code == 403
    assert client.get("/", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/", REMOTE_ADDR="::1").status_code == 200


@pytest.mark.django_db
def test_with_debug_off_everyone_gets_an_answer(client, settings):
    settings.DEBUG = False
    assert client.get("/", REMOTE_ADDR="203.0.113.5").status_code == 200
