"""Migrating an existing site moves imported SEO titles and descriptions onto the articles."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("importers", "0002_verbose_names"), ("news", "0003_seo_fields")]
AFTER = [("importers", "0003_seo_fields")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema_after(transactional_db):
    """The tests after this one expect every migration applied, later ones of other apps too."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_seo_fields_of_an_import_record_land_on_its_article():
    old = migrate(BEFORE)
    Article = old.get_model("news", "Article")
    ImportRecord = old.get_model("importers", "ImportRecord")
    with_seo = Article.objects.create(title="З SEO", slug="z-seo", published_at="2026-11-01T10:00Z")
    plain = Article.objects.create(
        title="Без SEO", slug="bez-seo", published_at="2026-11-01T10:00Z"
    )
    ImportRecord.objects.create(
        article=with_seo, checksum="a", seo_title="Заголовок для пошуку", seo_description="Опис"
    )
    ImportRecord.objects.create(article=plain, checksum="b")

    new = migrate(AFTER)

    titles = dict(new.get_model("news", "Article").objects.values_list("slug", "seo_title"))
    assert titles == {"z-seo": "Заголовок для пошуку", "bez-seo": ""}
    assert new.get_model("news", "Article").objects.get(slug="z-seo").seo_description == "Опис"
