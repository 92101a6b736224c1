"""The ad desk in the admin: creatives added with a banner uploaded into the photo library,
refusals in Ukrainian, the per-day report with its chart, and the CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shpalta.ads.models import Creative, DailyStats, Placement
from shpalta.photos.models import Image
from tests.newsroom.test_admin_language import problems_on, readable_text

from .conftest import banner, png

pytestmark = pytest.mark.django_db


def form(**fields) -> dict:
    data = {
        "name": "Весняний банер",
        "kind": "image",
        "active": "on",
        "placements": [str(Placement.objects.get(key="inline").pk)],
        "alt": "Весняний розпродаж квитків",
        "url": "https://advertiser.example/spring",
        "html": "",
        "starts_at_0": "",
        "starts_at_1": "",
        "ends_at_0": "",
        "ends_at_1": "",
        "weight": "2",
        "_save": "Зберегти",
    }
    return data | fields


def test_a_banner_uploaded_on_the_form_goes_into_the_library(staff_client):
    upload = SimpleUploadedFile("spring.png", png(), content_type="image/png")
    response = staff_client.post("/admin/ads/creative/add/", form(upload=upload))
    assert response.status_code == 302, response.content.decode()[:3000]
    creative = Creative.objects.get()
    assert creative.image == Image.objects.get()
    assert creative.image.alt == "Весняний розпродаж квитків"
    assert creative.weight == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Банеру потрібне зображення."),
        ({"url": "javascript:alert(1)"}, "http://"),
        ({"kind": "html", "html": "<script>alert(1)</script>"}, "вбудований скрипт"),
        (
            {"upload": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")},
            "зображення",
        ),
    ],
)
def test_refusals_say_what_is_wrong_in_ukrainian(staff_client, fields, message):
    response = staff_client.post("/admin/ads/creative/add/", form(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Creative.objects.exists()


def test_the_report_lists_days_with_ctr_chart_and_csv(staff_client):
    spring, autumn = banner("Весна"), banner("=Осінь")
    today = timezone.now().date()
    DailyStats.objects.create(creative=spring, day=today, impressions=400, clicks=10)
    DailyStats.objects.create(creative=spring, day=today - timedelta(days=1), impressions=100)
    DailyStats.objects.create(creative=autumn, day=today, impressions=50, clicks=5)
    DailyStats.objects.create(creative=autumn, day=today - timedelta(days=40), impressions=9)
    page = staff_client.get("/admin/ads/creative/report/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "покази 550, кліки 15, CTR 2,73 %" in html.replace("\xa0", " ")
    assert html.count("<rect ") == 30 and "<svg" in html
    assert "2,50" in html and "10,00" in html  # CTR per row: 10/400, 5/50
    only = staff_client.get(f"/admin/ads/creative/report/?creative={spring.pk}&days=7")
    assert "покази 500, кліки 10" in only.content.decode().replace("\xa0", " ")

    exported = staff_client.get("/admin/ads/creative/report.csv?days=90")
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert len(rows) == 4
    first = rows[0]
    assert first["impressions"] in ("400", "50") and first["day"] == today.isoformat()
    assert {r["creative"] for r in rows} == {"Весна", "'=Осінь"}  # no formula for a spreadsheet
    assert {r["ctr_percent"] for r in rows if r["impressions"] == "400"} == {"2.50"}


def test_the_ad_desk_reads_as_ukrainian(staff_client):
    creative = banner("Весна")
    for url in (
        "/admin/ads/",
        "/admin/ads/creative/",
        "/admin/ads/creative/add/",
        f"/admin/ads/creative/{creative.pk}/change/",
        "/admin/ads/creative/report/",
        "/admin/ads/placement/",
        "/admin/ads/adfreearticle/add/",
        "/admin/ads/adfreerubric/add/",
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        text = readable_text(response.content.decode())
        found = problems_on(
            text,
            {
                "redaktor",
                "CTR",
                "CSV",
                "SHPALTA_ADS_NETWORK_HOSTS",
                "JPEG",
                "PNG",
                "WebP",
                "GIF",
                "AVIF",
                "N",
                "px",
            },
        )
        assert found == [], (url, found)


def test_a_reporter_without_the_permission_gets_no_report(client, django_user_model):
    user = django_user_model.objects.create_user("avtor", password="x", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/ads/creative/report/").status_code == 403
    assert client.get("/admin/ads/creative/report.csv").status_code == 403
