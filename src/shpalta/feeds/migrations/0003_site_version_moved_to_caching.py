"""SiteVersion now lives in the caching app (caching 0001); feeds keeps no tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0002_site_version_verbose_name"),
        ("caching", "0001_initial"),
    ]

    operations = [migrations.DeleteModel(name="SiteVersion")]
