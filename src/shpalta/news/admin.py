"""Editorial admin: the newsroom's list of articles, their editing form, and change history."""

from datetime import timedelta

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from shpalta.photos.pictures import picture

from .collation import UkrainianOrder
from .models import Article, Author, Category, FrontPageSlot, OldSlug, Tag

admin.site.site_header = _("Шпальта: редакція")
admin.site.site_title = _("Шпальта")
admin.site.index_title = _("Редакція")


def site_url(article: Article) -> str:
    """Where an editor sees the article: its public page once live, else the preview (a
    draft's or a scheduled story's public URL answers 404). A form sent back with errors may
    hold a blank slug: the preview then, too."""
    if article.is_live and article.slug:
        return article.get_absolute_url()
    return reverse("news:preview", args=[article.pk])


# Labels an editor reads instead of the models' own: a field called "slug" and help that says
# "Атрибут alt." are jargon (the models keep their names, so no migration is needed).
FIELD_WORDING = {
    "slug": (_("адреса (латиницею)"), None),
    "cover_alt": (None, _("Його читають незрячим програми екранного доступу.")),
}


class EditorWording:
    """Form labels and list columns in an editor's words (FIELD_WORDING)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        label, help_text = FIELD_WORDING.get(db_field.name, (None, None))
        if field is not None and label:
            field.label = label
        if field is not None and help_text:
            field.help_text = help_text
        return field

    def get_fieldsets(self, request, obj=None):
        """Shown read-only (no right to change), a field's label is the model's: the slug
        then appears as the `address` column instead."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, options | {"fields": [self._shown(f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    @staticmethod
    def _shown(field):
        return "address" if field == "slug" else field

    @admin.display(description=_("адреса (латиницею)"), ordering="slug")
    def address(self, obj):
        return obj.slug


def time_set_in(form) -> bool:
    """Did the editor change the publication time in this form? The form shows it to the
    second and the row keeps microseconds, so Django's changed_data alone says yes."""
    if "published_at" not in form.changed_data:
        return False
    initial, posted = form.initial.get("published_at"), form.cleaned_data.get("published_at")
    if initial is None or posted is None:
        return True
    return abs(posted - initial) >= timedelta(seconds=1)


def state_label(article: Article):
    if not article.is_released:
        return _("чернетка")
    return _("заплановано") if article.is_scheduled else _("опубліковано")


class StateFilter(admin.SimpleListFilter):
    """Drafts, scheduled and live stories apart: the status field alone lumps the last two.

    Its parameter is the one the plain status filter had, so editors' bookmarked
    ?status__exact=draft lists still work.
    """

    title = _("стан")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return [
            (Article.Status.DRAFT, _("чернетки")),
            ("scheduled", _("заплановані")),
            (Article.Status.PUBLISHED, _("опубліковані")),
        ]

    def queryset(self, request, queryset):
        if self.value() == Article.Status.DRAFT:
            return queryset.drafts()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == Article.Status.PUBLISHED:
            return queryset.published()
        return queryset


@admin.register(Article)
class ArticleAdmin(EditorWording, SimpleHistoryAdmin):
    # What an editor scans, narrow enough for a 1280px screen with the filter sidebar; the
    # popular app adds its view counts before "view_link" (shpalta.popular.admin).
    list_display = ["title", "state", "rubric", "publication_time", "view_link"]
    list_filter = [StateFilter, "category", "authors", ("published_at", admin.DateFieldListFilter)]
    search_fields = ["title", "lead", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["authors", "tags", "category", "cover"]
    list_select_related = ["category"]
    readonly_fields = ["cover_preview", "created_at", "updated_at", "import_source", "import_id"]
    save_on_top = True
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "lead", "body"]}),
        (_("Публікація"), {"fields": ["status", "published_at", "category", "tags", "authors"]}),
        (
            _("Головне фото"),
            {
                "fields": [
                    "cover_preview",
                    "cover",
                    "cover_image_url",
                    "cover_alt",
                    "cover_caption",
                    "cover_credit",
                ]
            },
        ),
        (
            _("Адреса, анонс і пошуковики"),
            {
                "fields": ["slug", "excerpt", "seo_title", "seo_description"],
                "classes": ["collapse"],
            },
        ),
        (
            _("Джерело"),
            {
                "fields": ["source_name", "source_url", "import_source", "import_id"],
                "classes": ["collapse"],
            },
        ),
        (_("Службове"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["news/article_list.css"]}

    def view_on_site(self, obj):
        return site_url(obj)

    def save_model(self, request, obj, form, change):
        """A draft published in the form goes live now, as with the action, unless the
        editor set its time in this edit (a backdate on purpose, or a schedule); the editor
        is told when the time moves, never left to find out."""
        becomes_public = obj.is_released and "status" in form.changed_data
        if becomes_public and not time_set_in(form):
            before = obj.published_at
            obj.date_release_now()
            if obj.published_at != before:
                when = date_format(timezone.localtime(obj.published_at), "j E Y, H:i")
                message = _("Час публікації змінено на %(when)s: стаття виходить зараз.")
                self.message_user(request, message % {"when": when}, messages.INFO)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("мініатюра"))
    def cover_preview(self, obj):
        """The cover as readers will see it, small, so the editor knows which photo it is."""
        if obj.cover_id:
            return format_html(
                '<div class="cover-preview">{}</div>',
                picture(obj.cover, sizes="240px", display_width=240),
            )
        if not obj.cover_url:
            return _("немає фото")
        return format_html(
            '<img src="{}" alt="{}" class="cover-preview" width="240">',
            obj.cover_url,
            obj.cover_alt,
        )

    @admin.display(description=_("стан"), ordering="status")
    def state(self, obj):
        return state_label(obj)

    @admin.display(description=_("рубрика"), ordering="category__name", empty_value="—")
    def rubric(self, obj):
        """The category, as a column that may wrap (Django keeps a foreign key on one line)."""
        return obj.category

    @admin.display(description=_("час публікації"), ordering="published_at")
    def publication_time(self, obj):
        """Date over time: two short lines leave the headline column room at 1280px."""
        moment = timezone.localtime(obj.published_at)
        return format_html("{}<br>{}", date_format(moment, "d.m.Y"), date_format(moment, "H:i"))

    @admin.display(description=_("На сайті"))
    def view_link(self, obj):
        label = _("відкрити") if obj.is_live else _("перегляд")
        return format_html('<a href="{}" target="_blank">{}</a>', site_url(obj), label)

    @admin.action(description=_("Опублікувати вибрані"))
    def publish(self, request, queryset):
        ready = []
        for article in queryset.select_related("cover"):
            if article.missing_alt():
                message = _("«%(title)s» не опубліковано: %(why)s")
                self.message_user(
                    request,
                    message % {"title": article, "why": article.missing_alt()},
                    messages.ERROR,
                )
            else:
                ready.append(article)
        published = sum(article.publish() for article in ready)
        message = ngettext("Опубліковано %(n)s статтю", "Опубліковано %(n)s статей", published) % {
            "n": published
        }
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Зняти з публікації вибрані"))
    def unpublish(self, request, queryset):
        withdrawn = sum(article.unpublish() for article in queryset)
        message = ngettext(
            "Знято з публікації %(n)s статтю", "Знято з публікації %(n)s статей", withdrawn
        ) % {"n": withdrawn}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(Category)
class CategoryAdmin(EditorWording, admin.ModelAdmin):
    list_display = ["name", "address", "parent", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    ordering = ["position", UkrainianOrder("name")]


@admin.register(Tag)
class TagAdmin(EditorWording, admin.ModelAdmin):
    list_display = ["name", "address"]
    search_fields = ["name"]
    ordering = [UkrainianOrder("name")]  # the list and the article form's autocomplete


@admin.register(Author)
class AuthorAdmin(EditorWording, admin.ModelAdmin):
    list_display = ["name", "address", "user"]
    search_fields = ["name"]
    ordering = [UkrainianOrder("name")]


@admin.register(OldSlug)
class OldSlugAdmin(admin.ModelAdmin):
    list_display = ["slug", "article"]
    search_fields = ["slug", "article__title"]
    raw_id_fields = ["article"]


@admin.register(FrontPageSlot)
class FrontPageSlotAdmin(admin.ModelAdmin):
    """The home page's pinned places; the newest stories fill the others."""

    list_display = ["position", "article", "until_shown", "in_force", "pinned_by"]
    autocomplete_fields = ["article"]
    fields = ["position", "article", "until"]

    @admin.display(description=_("до"), ordering="until", empty_value=_("без терміну"))
    def until_shown(self, slot):
        return slot.until and date_format(timezone.localtime(slot.until), "j E Y, H:i")

    @admin.display(description=_("на головній зараз"), boolean=True)
    def in_force(self, slot):
        return FrontPageSlot.objects.current().filter(pk=slot.pk).exists()

    def save_model(self, request, obj, form, change):
        obj.pinned_by = request.user
        super().save_model(request, obj, form, change)
