"""The library's one model: an image kept once (by the hash of the file as uploaded), with the
words that go with it wherever it is used and the point that must stay in every crop."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import conf


def original_path(instance, filename: str) -> str:
    """Named by content: the same file always lands on the same name."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"photos/{instance.sha256[:2]}/{instance.sha256}.{extension}"


class Image(models.Model):
    file = models.ImageField(
        _("файл"), upload_to=original_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("ширина"), editable=False, default=0)
    height = models.PositiveIntegerField(_("висота"), editable=False, default=0)
    sha256 = models.CharField(_("відбиток файлу"), max_length=64, unique=True, editable=False)
    alt = models.CharField(
        _("опис для незрячих"),
        max_length=300,
        blank=True,
        help_text=_("Атрибут alt: що на фото, одним реченням. Без нього статтю не опублікувати."),
    )
    caption = models.CharField(_("підпис"), max_length=300, blank=True)
    credit = models.CharField(_("автор фото"), max_length=200, blank=True)
    source = models.CharField(
        _("джерело"), max_length=500, blank=True, help_text=_("Агенція, сайт або адреса.")
    )
    focal_x = models.PositiveSmallIntegerField(
        _("фокус по горизонталі, %"), default=50, validators=[MaxValueValidator(100)]
    )
    focal_y = models.PositiveSmallIntegerField(
        _("фокус по вертикалі, %"), default=50, validators=[MaxValueValidator(100)]
    )
    original_name = models.CharField(_("назва файлу"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("додано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("оновлено"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("фото")
        verbose_name_plural = _("фото")

    def __str__(self) -> str:
        return self.alt or self.caption or self.original_name or f"#{self.pk}"

    @property
    def focus(self) -> tuple[int, int]:
        return self.focal_x, self.focal_y

    @property
    def has_alpha(self) -> bool:
        return self.file.name.endswith(".png")

    def crop_size(self, crop: str) -> tuple[int, int]:
        """The crop's largest size cut from this photo (before any scaling)."""
        ratio = conf.CROPS[crop].ratio
        if ratio is None or not self.width or not self.height:
            return self.width, self.height
        rw, rh = ratio
        if self.width * rh > self.height * rw:
            return round(self.height * rw / rh), self.height
        return self.width, round(self.width * rh / rw)


class FormerAddress(models.Model):
    """Where a library image lived on the old site (`/wp-content/uploads/2019/05/a.jpg`): the
    address answers 301 with the image, so links and search results from before keep working."""

    path = models.CharField(_("стара адреса"), max_length=500, unique=True)
    image = models.ForeignKey(
        Image, verbose_name=_("фото"), on_delete=models.CASCADE, related_name="former_addresses"
    )

    class Meta:
        verbose_name = _("стара адреса фото")
        verbose_name_plural = _("старі адреси фото")

    def __str__(self) -> str:
        return self.path
