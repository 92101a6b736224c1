"""The WordPress importer's bulk path: batches, a broken post among them, re-runs, reactions."""

from pathlib import Path

import pytest
from django.db import connection

from shpalta.importers import pipeline
from shpalta.importers.models import ImportRecord, LegacyURL
from shpalta.importers.wxr import import_wxr
from shpalta.news.models import Article
from shpalta.related.models import ArticleVector, IndexState, RelatedLink, Term
from shpalta.related.vectors import unpack_counts
from shpalta.search import service

TOPICS = [
    "Київська міська рада ухвалила бюджет столиці на наступний рік",
    "Енергетики відновили світло у Харкові після нічної атаки",
    "Футбольна збірна України зіграла внічию з командою Італії",
    "Науковці з Львова створили новий тест для діагностики грипу",
]


def post(n: int, title: str = "", body: str = "") -> str:
    """A post by one of two authors (dc:creator), with one of three tags."""
    topic = TOPICS[n % len(TOPICS)]
    title = title or f"{topic} ({n})"
    body = body or f"<p>{topic}. Подробиці новини номер {n} від нашого кореспондента.</p>"
    return (
        f"<item><title>{title}</title><link>https://old.example/post-{n}/</link>"
        f"<dc:creator>avtor{n % 2}</dc:creator>"
        f"<wp:post_id>{n}</wp:post_id><wp:post_name>post-{n}</wp:post_name>"
        "<wp:post_date_gmt>2024-05-01 10:00:00</wp:post_date_gmt>"
        "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
        f'<category domain="post_tag" nicename="teg-{n % 3}"><![CDATA[тег {n % 3}]]></category>'
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
    )


def export(tmp_path: Path, items: list[str]) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Старий сайт</title>'
        "<link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version>"
        + "".join(items)
        + "</channel></rss>",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of four, so nine posts make three batches and post 6 sits inside the second."""
    monkeypatch.setattr(pipeline, "BATCH", 4)
    monkeypatch.setattr(pipeline.run_bulk, "__defaults__", (None, 4))


@pytest.fixture
def refusing_database():
    """The database itself refuses one row (as a constraint or a full disk would): a trigger
    aborts the insert of any article whose headline says «ЗЛАМАНИЙ»."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse_broken BEFORE INSERT ON news_article "
                "WHEN NEW.title LIKE '%ЗЛАМАНИЙ%' BEGIN SELECT RAISE(ABORT, 'row refused'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_broken() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.title LIKE '%ЗЛАМАНИЙ%' THEN RAISE EXCEPTION 'row refused'; END IF; "
                "RETURN NEW; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_broken BEFORE INSERT ON news_article "
                "FOR EACH ROW EXECUTE FUNCTION refuse_broken()"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS refuse_broken")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS refuse_broken ON news_article")
            cursor.execute("DROP FUNCTION IF EXISTS refuse_broken()")


def titles(query: str) -> set[str]:
    return {r.article.title for r in service.search(query, suggestions=False).results}


@pytest.mark.django_db(transaction=True)
def test_a_broken_post_in_the_middle_of_a_batch_loses_none_of_the_others(
    tmp_path, small_batches, refusing_database
):
    items = [post(n) for n in range(1, 10)]
    items[5] = post(6, title="ЗЛАМАНИЙ пост про бюджет столиці")  # refused by the database
    items[2] = post(3, title=" ", body=" ")  # no title, no text: refused before writing
    report = import_wxr([export(tmp_path, items)])
    assert report.summary() == "imported 7, updated 0, skipped 0, failed 2"
    failed = dict(report.errors)
    assert any("row refused" in reason for reason in failed.values()), failed
    assert any("no title and no text" in reason for reason in failed.values()), failed
    imported = set(Article.objects.values_list("import_id", flat=True))
    assert imported == {"1", "2", "4", "5", "7", "8", "9"}
    # the others of post 6's batch (5, 7, 8) are whole: record, old address, tags, search
    for n in (5, 7, 8):
        article = Article.objects.get(import_id=str(n))
        assert ImportRecord.objects.filter(article=article).exists()
        assert LegacyURL.objects.filter(path=f"/post-{n}/", article=article).exists()
        assert article.tags.count() == 1
    assert not LegacyURL.objects.filter(path="/post-6/").exists()
    assert "ЗЛАМАНИЙ пост про бюджет столиці" not in titles("бюджет")
    assert f"{TOPICS[1]} (5)" in titles("Харкові")
    # related lists were computed at the end for what was written
    assert ArticleVector.objects.count() == 7
    assert RelatedLink.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rerun_is_a_no_op_and_a_fixed_post_then_imports_alone(
    tmp_path, small_batches, refusing_database
):
    items = [post(n) for n in range(1, 10)]
    items[5] = post(6, title="ЗЛАМАНИЙ пост")
    path = export(tmp_path, items)
    assert import_wxr([path]).summary() == "imported 8, updated 0, skipped 0, failed 1"
    before = list(Article.objects.order_by("pk").values_list("pk", "updated_at"))
    history = Article.history.count()
    links = list(RelatedLink.objects.order_by("pk").values_list("article_id", "related_id"))
    again = import_wxr([path])
    assert again.summary() == "imported 0, updated 0, skipped 8, failed 1"
    assert list(Article.objects.order_by("pk").values_list("pk", "updated_at")) == before
    assert Article.history.count() == history
    assert list(RelatedLink.objects.order_by("pk").values_list("article_id", "related_id")) == (
        links
    )
    items[5] = post(6)  # the post mended in WordPress and exported again
    fixed = import_wxr([export(tmp_path, items)])
    assert fixed.summary() == "imported 1, updated 0, skipped 8, failed 0"
    assert f"{TOPICS[2]} (6)" in titles("збірна")


@pytest.mark.django_db(transaction=True)
def test_an_edited_post_is_updated_in_search_and_an_unpublished_one_leaves_it(tmp_path):
    items = [post(n) for n in range(1, 6)]
    assert import_wxr([export(tmp_path, items)]).imported == 5
    items[0] = post(1, title="Вчені з Одеси відкрили новий вид медуз")
    items[1] = items[1].replace("<wp:status>publish</wp:status>", "<wp:status>draft</wp:status>")
    report = import_wxr([export(tmp_path, items)])
    assert report.summary() == "imported 0, updated 2, skipped 3, failed 0"
    assert titles("медуз") == {"Вчені з Одеси відкрили новий вид медуз"}
    assert f"{TOPICS[2]} (2)" not in titles("збірна")
    assert not ArticleVector.objects.filter(article__import_id="2").exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_id_twice_in_one_batch_imports_once(tmp_path):
    items = [post(1), post(2), post(1, title="Інший заголовок того самого поста")]
    report = import_wxr([export(tmp_path, items)])
    assert report.summary() == "imported 2, updated 0, skipped 1, failed 0", report.errors
    assert Article.objects.get(import_id="1").title == f"{TOPICS[1]} (1)"


@pytest.mark.django_db(transaction=True)
def test_bulk_and_one_by_one_write_the_same_articles(tmp_path):
    path = export(tmp_path, [post(n) for n in range(1, 8)])
    import_wxr([path], one_by_one=True)
    fields = ("import_id", "title", "slug", "body_text", "published_at", "status")

    def state():
        rows = sorted(Article.objects.values_list(*fields))
        tags = sorted(Article.tags.through.objects.values_list("article__import_id", "tag__name"))
        paths = sorted(LegacyURL.objects.values_list("path", "article__import_id"))
        authors = sorted(
            Article.authors.through.objects.values_list("article__import_id", "author__name")
        )
        records = sorted(
            ImportRecord.objects.values_list("article__import_id", "checksum", "link_hash")
        )
        assert not ImportRecord.objects.filter(imported_at=None).exists()
        return rows, tags, paths, authors, records, titles("Харкові"), titles("бюджет")

    one_by_one = state()
    assert one_by_one[3] and one_by_one[4]  # authors and records were written
    Article.objects.all().delete()
    LegacyURL.objects.filter(article__isnull=True).delete()
    ImportRecord.objects.all().delete()
    report = import_wxr([path])
    assert report.summary() == "imported 7, updated 0, skipped 0, failed 0"
    assert state() == one_by_one


@pytest.mark.django_db(transaction=True)
def test_a_small_import_into_a_bigger_archive_updates_each_article_and_keeps_counts_exact(
    tmp_path,
):
    assert import_wxr([export(tmp_path, [post(n) for n in range(1, 10)])]).imported == 9
    later = tmp_path / "later"
    later.mkdir()
    report = import_wxr([export(later, [post(n) for n in range(1, 12)])])
    assert report.summary() == "imported 2, updated 0, skipped 9, failed 0"
    new = Article.objects.filter(import_id__in=["10", "11"])
    # not rebuilt (2 of 11): each new article analysed, weighed and placed on its own
    assert all(v.weighed_at > 0 and v.spread for v in ArticleVector.objects.filter(article__in=new))
    assert RelatedLink.objects.filter(article__in=new).exists()
    assert RelatedLink.objects.filter(related__in=new).exclude(article__in=new).exists()
    assert IndexState.objects.get().documents == 11
    counted = {}
    for counts in ArticleVector.objects.values_list("counts", flat=True):
        for term_id in unpack_counts(counts)[0].tolist():
            counted[term_id] = counted.get(term_id, 0) + 1
    assert dict(Term.objects.filter(df__gt=0).values_list("pk", "df")) == counted


@pytest.mark.django_db(transaction=True)
def test_bulk_gives_every_new_article_the_slug_one_by_one_would(tmp_path, small_batches):
    """Slugs are worked out for a batch at once: a title taken by an older article or an old
    address, a title twice in a batch, one whose slug is another's «-2», and one split across
    batches get the same -2, -3… as one save at a time (which asks the database per article)."""
    from shpalta.news.models import OldSlug

    titles_ = [
        "Привіт",  # taken by an older article: pryvit-2
        "Привіт 2",  # its own slug is pryvit-2, which the first may have taken
        "Новини дня",  # an old address holds novyny-dnia
        "Погода",
        "Погода",  # twice in one batch
        "Погода",  # and a third time, in the next batch
        "Свіжий заголовок",
        "Ще один",
        "Останній",
        "???",  # no letters: bez-nazvy
        "Дуже довгий заголовок " * 8,  # cut at a word near the field's length
    ]
    path = export(tmp_path, [post(n, title=t) for n, t in enumerate(titles_, 1)])

    def slugs(one_by_one):
        older = Article.objects.create(title="Привіт", body="<p>Старе.</p>")
        moved = Article.objects.create(title="Стара назва", body="<p>Старе.</p>")
        OldSlug.objects.create(slug="novyny-dnia", article=moved)
        report = import_wxr([path], one_by_one=one_by_one)
        assert report.summary() == "imported 11, updated 0, skipped 0, failed 0", report.errors
        found = dict(Article.objects.exclude(import_id="").values_list("import_id", "slug"))
        Article.objects.all().delete()
        ImportRecord.objects.all().delete()
        LegacyURL.objects.all().delete()
        assert older.slug == "pryvit"
        return found

    one_by_one = slugs(True)
    long = one_by_one["11"]
    assert long.startswith("duzhe-dovhyi-zaholovok-") and 100 < len(long) <= 114, long
    assert sorted(one_by_one.values()) == sorted(
        ["pryvit-2", "pryvit-2-2", "novyny-dnia-2", "pohoda", "pohoda-2", "pohoda-3",
         "svizhyi-zaholovok", "shche-odyn", "ostannii", "bez-nazvy", long]
    )  # fmt: skip
    assert slugs(False) == one_by_one
