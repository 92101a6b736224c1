"""PostgreSQL only: pages of the stored lists and of the vocabulary are filled to 70 %, so the
updates every publish makes (the ranks that move in its neighbours' lists, the document counts
of its terms) can be written in place (heap-only tuples) instead of as new row versions in
other pages with an entry in each of the table's indexes. Measured at 100,000 articles: the
rank moves of one publish wrote 0.4-0.9 MB of WAL (full-page images of index pages), 6-28 kB
with the room. Rows written after this (a rebuild writes them all) get it; SQLite has no such
setting and needs none.
"""

from django.db import migrations

TABLES = ("related_relatedlink", "related_term")


def room(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = 70)")


def no_room(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("related", "0002_rebuild_progress")]

    operations = [migrations.RunPython(room, no_room, elidable=False)]
