"""PostgreSQL: a GIN index of the exact forms, for the exact-form bonus (backends/postgres.py).

At a million articles the index takes minutes to build; search works the same without it.
"""

from django.db import migrations


def upgrade(apps, schema_editor):
    from shpalta.search.backends import statements

    for sql in statements(schema_editor.connection.vendor, "upgrade_forms_index"):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_vector_statistics")]
    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
