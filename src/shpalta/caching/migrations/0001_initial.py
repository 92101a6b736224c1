"""The site version row, moved here from the feeds app; its old table goes in feeds 0003.

The row holds only a cache token: it is made anew on the first request (versioning.current()),
so nothing is copied across.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SiteVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=40)),
                ("changed_at", models.DateTimeField()),
                ("next_due", models.DateTimeField(blank=True, null=True)),
            ],
            options={"verbose_name": "версія сайту", "verbose_name_plural": "версії сайту"},
        ),
    ]
