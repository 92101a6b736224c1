"""PostgreSQL: a small title-only vector for the title-candidates walk, and lz4 for the big one."""

from django.db import migrations, transaction


def upgrade(apps, schema_editor):
    from shpalta.search.backends import statements

    for sql in statements(schema_editor.connection.vendor, "upgrade"):
        schema_editor.execute(sql)
    if schema_editor.connection.vendor == "postgresql":
        from shpalta.search.backends.postgres import FAST_COMPRESSION

        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(FAST_COMPRESSION)
        except Exception:  # noqa: BLE001,S110  (a server built without lz4 keeps pglz)
            pass


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_tables")]
    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
