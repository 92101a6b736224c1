"""SHPALTA_EMAIL_URL becomes Django's EMAIL_* settings; without it nothing is mailed."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from shpalta.settings.env import email_settings


def test_an_smtp_url_with_starttls_gives_every_setting():
    got = email_settings("smtp://news%40example.com:p%40ss@mail.example.com:587?tls=1", False)
    assert got == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "news@example.com",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 20.0,
    }


def test_smtps_means_ssl_on_port_465():
    got = email_settings("smtps://mail.example.com", False)
    assert got["EMAIL_USE_SSL"] and not got["EMAIL_USE_TLS"] and got["EMAIL_PORT"] == 465


def test_without_a_url_debug_prints_and_production_sends_nothing():
    console = email_settings("", True)["EMAIL_BACKEND"]
    assert console == "django.core.mail.backends.console.EmailBackend"
    assert email_settings("", False)["EMAIL_BACKEND"].endswith("dummy.EmailBackend")


def test_another_scheme_is_refused_with_an_example():
    with pytest.raises(ImproperlyConfigured, match="smtp://user:password@host:587"):
        email_settings("http://mail.example.com", False)
