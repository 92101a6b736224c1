"""The six places the templates carry, with common banner sizes (desktop / phone)."""

from django.db import migrations

PLACES = [
    # key, desktop w, h, phone w, h, N
    ("header", 728, 90, 320, 50, 3),
    ("article_top", 728, 90, 320, 100, 3),
    ("inline", 728, 90, 320, 100, 3),
    ("article_bottom", 728, 90, 320, 100, 3),
    ("sidebar", 300, 250, 300, 250, 3),
    ("list", 728, 90, 320, 100, 4),
]


def create(apps, schema_editor):
    Placement = apps.get_model("ads", "Placement")
    for key, dw, dh, mw, mh, n in PLACES:
        Placement.objects.get_or_create(
            key=key,
            defaults={
                "desktop_width": dw,
                "desktop_height": dh,
                "mobile_width": mw,
                "mobile_height": mh,
                "position": n,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("ads", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
