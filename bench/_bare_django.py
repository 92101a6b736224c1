"""The framework's floor for bench/pages.py: a minimal Django project (the middleware that
`django-admin startproject` writes, DEBUG off) whose one view returns a page's HTML read from
the file BARE_PAGE, served by the same gunicorn as Shpalta. Settings, URLs and the WSGI
application in one module: `gunicorn _bare_django:application` from bench/."""

import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "bench-only-bare-django-not-for-production"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [  # startproject's list
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES = {  # never opened: no view reads it and anonymous requests carry no session
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
}
USE_TZ = True

PAGE = Path(os.environ.get("BARE_PAGE", "page.html")).read_bytes()


def page(request, slug=""):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


def healthz(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("healthz", healthz), path("novyny/<slug:slug>/", page), path("", page)]

os.environ["DJANGO_SETTINGS_MODULE"] = __name__
application = get_wsgi_application()
