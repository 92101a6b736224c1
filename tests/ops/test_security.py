"""Security headers on every answer, and the HTTPS settings behind SHPALTA_HTTPS."""

import base64
import hashlib
import json
import re

import pytest

from .scratch import REPO, env_for, shpalta

pytestmark = pytest.mark.django_db


def script_src(response) -> str:
    return re.search(r"script-src ([^;]+)", response["Content-Security-Policy"]).group(1)


def test_pages_forbid_inline_script_and_framing(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in script_src(response)
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_policy_allows_exactly_the_import_map_the_editor_page_renders(staff_client):
    response = staff_client.get("/admin/news/article/add/")
    html = response.content.decode()
    maps = re.findall(r'<script type="importmap"[^>]*>(.*?)</script>', html, re.S)
    assert maps, "the prose editor renders an import map"
    for body in maps:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src(response)
    assert "<script>" not in html.replace(" ", ""), "no bare inline script in the admin"


def test_https_turns_on_hsts_secure_cookies_and_the_proxy_header(tmp_path):
    import subprocess
    import sys

    probe = (
        "import json; from django.conf import settings as s; from django.test import Client;"
        "r = Client().get('/', headers={'X-Forwarded-Proto': 'https'});"
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " r.headers.get('Strict-Transport-Security'), r.headers['Content-Security-Policy']]))"
    )
    env = env_for(f"sqlite:///{tmp_path / 'h.sqlite3'}", tmp_path, SHPALTA_HTTPS="1")
    shpalta("migrate", "--noinput", "-v0", env=env)
    done = subprocess.run(
        [sys.executable, "-m", "shpalta.cli", "shell", "-v0", "-c", probe],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    session, csrf, hsts_seconds, hsts, csp = json.loads(done.stdout.splitlines()[-1])
    assert session and csrf
    assert hsts_seconds >= 31536000
    assert hsts.startswith("max-age=31536000")
    assert csp.endswith("upgrade-insecure-requests")
