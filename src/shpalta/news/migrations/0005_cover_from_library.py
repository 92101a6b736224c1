"""Covers join the photo library: each story's uploaded cover file becomes a library image
(checked and stripped of EXIF/GPS/XMP/IPTC like any upload; the same file on many stories is one
image), with the story's alt, caption and credit; the story then points to it.

The old file is deleted once its clean copy is stored: it still carries the camera's metadata
(GPS included) and was served as it was. A file missing from storage or not a readable image
stays where it is (the story keeps it) and is named in the output.
"""

import os

import django.db.models.deletion
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models

import shpalta.news.models
from shpalta.photos import conf, safety


def covers_to_library(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    Image = apps.get_model("photos", "Image")
    covered = Article.objects.exclude(cover_image="").filter(cover__isnull=True)
    words = ("cover_alt", "cover_caption", "cover_credit")
    for article in covered.only("pk", "cover_image", *words).order_by("pk"):
        name = article.cover_image.name
        try:
            with default_storage.open(name, "rb") as handle:
                data = handle.read(conf.max_bytes() + 1)
        except OSError:
            print(f"\n  news 0005: файлу «{name}» немає у сховищі, фото статті {article.pk} лишено")
            continue
        sha256 = safety.content_hash(data)
        image = Image.objects.filter(sha256=sha256).first()
        if image is not None:  # the same file on another story: fill what the first left blank
            for field in ("alt", "caption", "credit"):
                if not getattr(image, field):
                    setattr(image, field, getattr(article, f"cover_{field}"))
            image.save()
        else:
            try:
                cleaned = safety.clean(data)
            except ValidationError as error:
                print(f"\n  news 0005: «{name}» (стаття {article.pk}) лишено: {error.messages[0]}")
                continue
            stored = default_storage.save(
                f"photos/{sha256[:2]}/{sha256}.{cleaned.extension}", ContentFile(cleaned.content)
            )
            image = Image.objects.create(
                file=stored,
                width=cleaned.width,
                height=cleaned.height,
                sha256=sha256,
                alt=article.cover_alt,
                caption=article.cover_caption,
                credit=article.cover_credit,
                original_name=os.path.basename(name),
            )
        Article.objects.filter(pk=article.pk).update(
            cover=image, cover_image="", cover_width=None, cover_height=None
        )
        if not Article.objects.filter(cover_image=name).exists():
            default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_frontpageslot"),
        ("photos", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="cover",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cover_of",
                to="photos.image",
                verbose_name="головне фото",
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="cover",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="photos.image",
                verbose_name="головне фото",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="cover_image",
            field=shpalta.news.models.CoverImageField(
                blank=True,
                height_field="cover_height",
                upload_to="covers/%Y/%m/",
                verbose_name="головне фото (файл статті)",
                width_field="cover_width",
            ),
        ),
        migrations.AlterField(
            model_name="historicalarticle",
            name="cover_image",
            field=models.TextField(
                blank=True, max_length=100, verbose_name="головне фото (файл статті)"
            ),
        ),
        migrations.RunPython(covers_to_library, migrations.RunPython.noop, elidable=True),
    ]
