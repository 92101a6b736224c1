"""Demo content: enough varied, well-formed Ukrainian news for every page, loaded once."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from shpalta.news import demo
from shpalta.news.models import Article, Author, Category, Tag

ENTRIES = demo.entries()
PUBLISHED = [
    e for e in ENTRIES if e.get("status", "published") == "published" and e["hours_ago"] > 0
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    rows = Article.objects.order_by("pk").values_list(
        "pk", "slug", "title", "status", "published_at", "updated_at", "cover", "category_id"
    )
    relations = [
        sorted(a.tags.values_list("pk", flat=True)) + sorted(a.authors.values_list("pk", flat=True))
        for a in Article.objects.order_by("pk")
    ]
    counts = (Category.objects.count(), Tag.objects.count(), Author.objects.count())
    return [*rows, relations, counts]


def test_the_data_has_at_least_forty_reader_visible_articles_in_six_categories():
    assert len(PUBLISHED) >= 40
    assert len({e["category"] for e in PUBLISHED}) >= 6
    assert min(Counter(e["category"] for e in PUBLISHED).values()) >= 4


def test_every_article_has_a_lead_three_to_six_paragraphs_tags_and_known_authors():
    site = demo._read("site.json")
    authors = {a["name"] for a in site["authors"]}
    categories = {c["name"] for c in site["categories"]}
    for entry in PUBLISHED:
        paragraphs = [b for b in entry["body"] if not b.startswith("## ")]
        assert 3 <= len(paragraphs) <= 6, entry["id"]
        assert len(entry["lead"]) > 60, entry["id"]
        assert entry["tags"] and set(entry["authors"]) <= authors, entry["id"]
        assert entry["category"] in categories, entry["id"]
    assert all(len(a["bio"]) > 60 for a in site["authors"])


def test_ids_and_titles_are_unique():
    assert len({e["id"] for e in ENTRIES}) == len(ENTRIES)
    assert len({e["title"] for e in ENTRIES}) == len(ENTRIES)


def test_several_stories_share_subjects_for_search_and_related_articles():
    tags = Counter(tag for e in PUBLISHED for tag in e["tags"])
    for subject in ["НАТО", "мости", "енергетика", "дрони", "monobank", "Володимир Зеленський"]:
        assert tags[subject] >= 3, subject
    texts = [" ".join([e["title"], e["lead"], *e["body"]]) for e in PUBLISHED]
    forms = {"Зеленський", "Зеленського", "Зеленському"}
    assert all(any(form in text for text in texts) for form in forms)


def test_subheadings_become_h2_and_text_is_escaped():
    html = demo.body_html(["## Що мати вдома", "Ціна < 5 & «більше»"])
    assert html == "<h2>Що мати вдома</h2>\n<p>Ціна &lt; 5 &amp; «більше»</p>"


@pytest.mark.django_db
def test_it_loads_every_article_with_authors_tags_and_a_cover(media):
    assert load().strip() == f"демонстраційні статті: додано {len(ENTRIES)}, уже були 0"
    visible = Article.objects.published().filter(import_source=demo.SOURCE)
    assert visible.count() == len(PUBLISHED)
    assert visible.values("category").distinct().count() >= 6
    for article in visible.prefetch_related("authors", "tags"):
        assert article.authors.exists() and article.tags.exists()
        assert all(author.bio for author in article.authors.all())
        assert article.lead and article.body.startswith("<") and article.body_text
    assert Category.objects.get(name="Київ").position == 50


@pytest.mark.django_db
def test_running_it_twice_changes_nothing(media):
    load()
    before = snapshot()
    files = sorted(p.name for p in media.rglob("*.jpg"))
    assert load().strip() == f"демонстраційні статті: додано 0, уже були {len(ENTRIES)}"
    assert snapshot() == before
    assert sorted(p.name for p in media.rglob("*.jpg")) == files


@pytest.mark.django_db
def test_publication_times_spread_over_the_last_month(media):
    load()
    now = timezone.now()
    dates = list(Article.objects.published().values_list("published_at", flat=True))
    assert min(dates) > now - timedelta(days=31)
    assert max(dates) - min(dates) > timedelta(days=20)
    assert len({d.minute for d in dates}) > 10


@pytest.mark.django_db
def test_the_draft_and_the_scheduled_story_stay_hidden_from_readers(media):
    load()
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    statuses = sorted((a.status, a.published_at > timezone.now()) for a in hidden)
    assert statuses == [("draft", False), ("published", True)]


@pytest.mark.django_db
def test_covers_are_library_images_with_alt_text_and_a_caption_shown_as_renditions(media, client):
    load()
    article = Article.objects.get(import_id="paton-bridge-repair-plan")
    cover = article.cover
    assert (media / cover.file.name).is_file()
    with Image.open(cover.file.path) as image:
        assert image.format == "JPEG" and image.size == (1200, 675)
    assert "Київ" in cover.alt and cover.caption == "Ілюстрація «Шпальти»"
    assert article.cover_url.startswith(f"/img/{cover.sha256}/full-50x50-1200.jpg")
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<source type="image/avif"' in page and 'fetchpriority="high"' in page
    response = client.get(article.cover_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


@pytest.mark.django_db
def test_slugs_use_the_official_transliteration(media):
    load()
    article = Article.objects.get(import_id="nato-summit-preparation")
    assert article.slug.startswith("zelenskyi-obhovoryv-iz-soiuznykamy")


@pytest.mark.django_db
def test_the_home_page_shows_a_section_per_category(client, media):
    load()
    page = client.get("/").content.decode()
    for category in Category.objects.all():
        assert f'id="section-{category.slug}"' in page
    assert "Кадрові зміни в уряді" not in page
