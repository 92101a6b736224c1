"""PostgreSQL: lead lemmas and exact forms in small side columns (see backends/postgres.py).

Rows indexed before this keep their forms inside the main vector until `shpalta reindex`;
they still match, and simply get no exact-form bonus until then.
"""

from django.db import migrations, transaction


def upgrade(apps, schema_editor):
    from shpalta.search.backends import statements

    for sql in statements(schema_editor.connection.vendor, "upgrade_placement"):
        schema_editor.execute(sql)
    if schema_editor.connection.vendor == "postgresql":
        from shpalta.search.backends.postgres import FAST_COMPRESSION_FORMS

        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(FAST_COMPRESSION_FORMS)
        except Exception:  # noqa: BLE001,S110  (a server built without lz4 keeps pglz)
            pass


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgres_title_vector")]
    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
