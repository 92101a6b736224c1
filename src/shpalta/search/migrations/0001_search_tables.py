"""The search index tables, in the form the database in use understands (no Django models:
an FTS5 virtual table and a tsvector with a GIN index are vendor features)."""

from django.db import migrations


def create(apps, schema_editor):
    from shpalta.search.backends import statements

    for sql in statements(schema_editor.connection.vendor, "create"):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    from shpalta.search.backends import statements

    for sql in statements(schema_editor.connection.vendor, "drop"):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    initial = True
    dependencies = [("news", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
