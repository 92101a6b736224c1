"""`shpalta demo_people` gives the demo one account per role, and refuses on a public site."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from shpalta.newsroom.management.commands.demo_people import PASSWORD, PEOPLE

pytestmark = pytest.mark.django_db


def test_each_role_gets_a_demo_account_that_logs_in_to_the_admin(capsys):
    call_command("demo_people")
    call_command("demo_people")  # a second run changes nothing
    printed = capsys.readouterr().out
    for username, role, _first, _last in PEOPLE:
        user = authenticate(username=username, password=PASSWORD)
        assert user.is_staff and user.groups.get().name == role
        assert f"{role}: {username} / {PASSWORD}" in printed


def test_a_site_with_public_host_names_gets_no_demo_accounts(settings):
    settings.PUBLIC_HOSTS = ["news.example.ua"]
    with pytest.raises(CommandError):
        call_command("demo_people")
