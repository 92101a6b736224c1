"""The photo library in the admin: search, filters and thumbnails; the upload checked and
stripped (forms.py); the focal point picked by a click on the photo (static/photos/focal.js),
with the crops it gives shown beside it."""

from django.contrib import admin
from django.db.models import F, Q
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import inline, library, pictures, views
from .forms import ImageForm
from .models import Image


class AltFilter(admin.SimpleListFilter):
    title = _("опис для незрячих")
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("no", _("без опису")), ("yes", _("з описом"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(alt="")
        if self.value() == "yes":
            return queryset.exclude(alt="")
        return queryset


class ShapeFilter(admin.SimpleListFilter):
    title = _("формат")
    parameter_name = "shape"

    def lookups(self, request, model_admin):
        return [
            ("landscape", _("горизонтальні")),
            ("portrait", _("вертикальні")),
            ("square", _("квадратні")),
        ]

    def queryset(self, request, queryset):
        shapes = {
            "landscape": Q(width__gt=F("height")),
            "portrait": Q(width__lt=F("height")),
            "square": Q(width=F("height")),
        }
        return queryset.filter(shapes[self.value()]) if self.value() in shapes else queryset


class SizeFilter(admin.SimpleListFilter):
    title = _("розмір")
    parameter_name = "size"

    def lookups(self, request, model_admin):
        return [("social", _("придатні для соцмереж (від 1200 px)")), ("small", _("менші"))]

    def queryset(self, request, queryset):
        if self.value() == "social":
            return queryset.filter(width__gte=1200)
        if self.value() == "small":
            return queryset.filter(width__lt=1200)
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "describe", "credit", "dimensions", "created_at"]
    list_display_links = ["thumbnail", "describe"]
    list_filter = [AltFilter, ShapeFilter, SizeFilter, ("created_at", admin.DateFieldListFilter)]
    search_fields = ["alt", "caption", "credit", "source", "original_name"]
    date_hierarchy = "created_at"
    list_per_page = 48
    readonly_fields = [
        "focal_picker",
        "crops",
        "dimensions",
        "original_name",
        "created_at",
        "text_link",
    ]
    fieldsets = [
        (None, {"fields": ["file", "text_link", "alt", "caption", "credit", "source"]}),
        (
            _("Фокус і кадрування"),
            {
                "fields": ["focal_picker", "focal_x", "focal_y", "crops"],
                "description": _(
                    "Клацніть на фото в місці, яке має лишитися в кадрі: кадри 16:9, "
                    "квадратний і для соцмереж (1200×630) триматимуть його."
                ),
            },
        ),
        (_("Службове"), {"fields": ["dimensions", "original_name", "created_at"]}),
    ]

    class Media:
        js = ["photos/focal.js"]
        css = {"all": ["photos/admin.css"]}

    def get_urls(self):
        """The text editor's upload (views.editor_upload), behind the admin's staff check and
        CSRF protection."""
        upload = path(
            "editor-upload/",
            self.admin_site.admin_view(views.editor_upload),
            name="photos_image_editor_upload",
        )
        return [upload, *super().get_urls()]

    def get_readonly_fields(self, request, obj=None):
        """The file of a kept image does not change: another photo is another image."""
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "file"] if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # the focal point is picked on the photo, once it is uploaded
            return [(None, {"fields": ["file", "alt", "caption", "credit", "source"]})]
        return super().get_fieldsets(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or {"focal_x", "focal_y"} & set(form.changed_data):
            library.queue_renditions(obj)

    @admin.display(description=_("мініатюра"))
    def thumbnail(self, obj):
        return format_html(
            '<img src="{}" alt="" width="120" height="{}" class="photos-thumb" loading="lazy">',
            pictures.url(obj, "full", pictures.renditions.widths(obj, "full")[0], "jpg"),
            round(120 * obj.height / obj.width) if obj.width else 120,
        )

    @admin.display(description=_("опис"), ordering="alt")
    def describe(self, obj):
        if obj.alt:
            return obj.alt
        return format_html('<span class="photos-missing">{}</span>', _("немає опису для незрячих"))

    @admin.display(description=_("адреса для тексту"))
    def text_link(self, obj):
        """What to paste into the article editor's «Зображення» dialog: the text keeps it as a
        reference, and the page shows the photo with this library's alt, caption and credit."""
        return format_html(
            '<input type="text" readonly value="{}" size="60" class="photos-link">'
            '<div class="help">{}</div>',
            inline.link(obj),
            _("Скопіюйте в діалог «Зображення» редактора тексту статті."),
        )

    @admin.display(description=_("розмір"))
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}"

    @admin.display(description=_("фокус"))
    def focal_picker(self, obj):
        width = pictures.renditions.widths(obj, "full")
        shown = next((w for w in width if w >= 640), width[-1])
        return format_html(
            '<div class="photos-focal" data-focal-picker>'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="photos-focal__mark" style="left:{}%;top:{}%"></span></div>',
            pictures.url(obj, "full", shown, "jpg"),
            obj.alt,
            shown,
            round(shown * obj.height / obj.width) if obj.width else shown,
            obj.focal_x,
            obj.focal_y,
        )

    @admin.display(description=_("кадри"))
    def crops(self, obj):
        shown = [("card", _("картка 16:9")), ("square", _("квадрат")), ("social", _("соцмережі"))]
        return format_html(
            '<div class="photos-crops">{}</div>',
            format_html_join(
                "",
                '<figure><img src="{}" alt="" height="120"><figcaption>{}</figcaption></figure>',
                (
                    (
                        pictures.url(obj, crop, pictures.renditions.widths(obj, crop)[0], "jpg"),
                        label,
                    )
                    for crop, label in shown
                ),
            ),
        )
