"""`shpalta photos renditions`: make every missing rendition pages use, for each library image.

The background task does this at upload; run it after a bulk load that skipped it (the demo,
`news` migration 0005's covers), or after the widths or crops change.
"""

import sys

from django.core.management.base import BaseCommand

from shpalta.photos import renditions
from shpalta.photos.models import Image


class Command(BaseCommand):
    help = "Фото: зробити варіанти (AVIF, WebP, JPEG), яких ще немає, для кожного фото бібліотеки."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("renditions", help="make the missing renditions of every library image")

    def handle(self, *args, action, **options):
        images = Image.objects.order_by("pk")
        total, made, failed = images.count(), 0, []
        for number, image in enumerate(images.iterator(), start=1):
            try:
                made += renditions.warm(image)
            except OSError as error:
                failed.append(f"№ {image.pk} ({image.file.name}): {error}")
            if sys.stderr.isatty():
                sys.stderr.write(f"\rфото {number} з {total}")
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        for line in failed:
            self.stderr.write(f"не вдалося: {line}")
        self.stdout.write(f"фото: {total}, нових варіантів: {made}, не вдалося: {len(failed)}")
