"""An imported article's SEO title and description move to the article itself (news 0003),
where the page template reads them and editors can change them; then leave ImportRecord."""

from django.db import migrations


def copy_to_articles(apps, schema_editor):
    ImportRecord = apps.get_model("importers", "ImportRecord")
    Article = apps.get_model("news", "Article")
    records = ImportRecord.objects.exclude(seo_title="", seo_description="")
    for record in records.values("article_id", "seo_title", "seo_description").iterator():
        Article.objects.filter(pk=record["article_id"]).update(
            seo_title=record["seo_title"], seo_description=record["seo_description"]
        )


def copy_back(apps, schema_editor):
    ImportRecord = apps.get_model("importers", "ImportRecord")
    Article = apps.get_model("news", "Article")
    articles = Article.objects.exclude(seo_title="", seo_description="")
    for article in articles.values("pk", "seo_title", "seo_description").iterator():
        ImportRecord.objects.filter(article_id=article["pk"]).update(
            seo_title=article["seo_title"], seo_description=article["seo_description"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0002_verbose_names"),
        ("news", "0003_seo_fields"),
    ]

    operations = [
        migrations.RunPython(copy_to_articles, copy_back),
        migrations.RemoveField(model_name="importrecord", name="seo_description"),
        migrations.RemoveField(model_name="importrecord", name="seo_title"),
    ]
