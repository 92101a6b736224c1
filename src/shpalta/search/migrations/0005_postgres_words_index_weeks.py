"""PostgreSQL: the words index carries each article's publication week (backends/postgres.py,
WEEK_FUNCTION), so the newest slice of the archive is bounded inside one GIN scan.

Builds a GIN index of every article's lemmas again (about three minutes at a million articles
on two cores; writes to search_document wait for it) and drops the former index of the vector
alone, which the new one replaces.
"""

from django.db import migrations


def upgrade(apps, schema_editor):
    from shpalta.search.backends import statements

    for sql in statements(schema_editor.connection.vendor, "upgrade_weeks"):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_vector_statistics")]
    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
