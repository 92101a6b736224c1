"""PostgreSQL: finer statistics of the vectors' common lemmas, which choose the candidate plan.

backends/postgres.py picks the GIN index or the ordered walk per query from the planner's
estimate of how many articles match; with the default statistics target only the thousand-odd
commonest lemmas are counted and every other word looks equally rare.
"""

from django.db import migrations


def upgrade(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from shpalta.search.backends.postgres import STATISTICS

        for sql in STATISTICS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_postgres_placement_columns")]
    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
