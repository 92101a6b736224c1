"""`shpalta load_demo` gives a fresh site house promos in the article's places, drawn here,
stored in the photo library, and loading it twice adds nothing."""

import pytest
from django.core.management import call_command

from shpalta.ads.models import Creative
from shpalta.news.models import Article

pytestmark = pytest.mark.django_db


def test_load_demo_adds_the_newsletter_and_telegram_promos_once(client):
    call_command("load_demo", verbosity=0)
    promos = list(Creative.objects.order_by("name"))
    assert len(promos) == 4
    assert {p.kind for p in promos} == {"image"}
    for promo in promos:
        assert promo.image.width > 0 and promo.alt and promo.image.alt
        assert promo.url.startswith(("http://", "https://"))
        promo.full_clean()
    places = {p.key for c in promos for p in c.placements.all()}
    assert places == {"inline", "article_bottom", "sidebar"}
    assert any("newsletter/subscribe" in p.url for p in promos)
    assert any(p.url.startswith(("https://t.me/", "https://telegram.org")) for p in promos)

    story = Article.objects.published().order_by("-published_at").first()
    html = client.get(story.get_absolute_url()).content.decode()
    for key in ("inline", "sidebar", "article_bottom"):
        assert f'data-ad-slot="{key}"' in html

    call_command("load_demo", verbosity=0)
    assert Creative.objects.count() == 4
