"""The library's upload form: the file is checked and stripped (safety.py) before it is kept,
and a file already in the library is pointed to instead of stored twice."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import safety
from .models import Image


class ImageForm(forms.ModelForm):
    # A plain file field: Django's image field would open the upload with its own checks and
    # messages before safety.clean() can name what is wrong.
    file = forms.FileField(label=_("файл"), required=False)

    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "credit", "source", "focal_x", "focal_y"]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 100, "data-focal": "x"}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 100, "data-focal": "y"}),
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or not hasattr(upload, "content_type"):
            if not self.instance.pk:
                raise ValidationError(_("Виберіть файл фото."), code="required")
            return self.instance.file  # unchanged
        safety.check_size(upload.size)
        data = upload.read(safety.conf.max_bytes() + 1)
        existing = Image.objects.filter(sha256=safety.content_hash(data)).first()
        if existing is not None and existing.pk != self.instance.pk:
            link = reverse("admin:photos_image_change", args=[existing.pk])
            raise ValidationError(
                format_html(
                    _('Це фото вже є в бібліотеці: <a href="{}">{}</a>. Виберіть його там.'),
                    link,
                    existing,
                ),
                code="duplicate",
            )
        cleaned = safety.clean(data)
        self.instance.sha256 = cleaned.sha256
        self.instance.original_name = upload.name[-255:]
        return ContentFile(cleaned.content, name=f"{cleaned.sha256}.{cleaned.extension}")
