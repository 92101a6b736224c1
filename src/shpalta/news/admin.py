"""Editorial admin: the newsroom's list of articles, their editing form, and change history."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from shpalta.popular.admin import ArticleViewsMixin

from .models import Article, Author, Category, OldSlug, Tag

admin.site.site_header = _("Шпальта: редакція")
admin.site.site_title = _("Шпальта")
admin.site.index_title = _("Редакція")


@admin.register(Article)
class ArticleAdmin(ArticleViewsMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "status",
        "category",
        "published_at",
        "updated_at",
        "views_24h",
        "views_total",
        "view_link",
    ]
    list_filter = ["status", "category", "authors", ("published_at", admin.DateFieldListFilter)]
    search_fields = ["title", "lead", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["authors", "tags", "category"]
    list_select_related = ["category"]
    readonly_fields = ["created_at", "updated_at", "import_source", "import_id"]
    save_on_top = True
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "lead", "body"]}),
        (_("Публікація"), {"fields": ["status", "published_at", "category", "tags", "authors"]}),
        (
            _("Головне фото"),
            {
                "fields": [
                    "cover_image",
                    "cover_image_url",
                    "cover_alt",
                    "cover_caption",
                    "cover_credit",
                ]
            },
        ),
        (_("Адреса й анонс"), {"fields": ["slug", "excerpt"], "classes": ["collapse"]}),
        (
            _("Джерело"),
            {
                "fields": ["source_name", "source_url", "import_source", "import_id"],
                "classes": ["collapse"],
            },
        ),
        (_("Службове"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("На сайті"))
    def view_link(self, obj):
        if obj.is_live:
            return format_html(
                '<a href="{}" target="_blank">{}</a>', obj.get_absolute_url(), _("відкрити")
            )
        url = reverse("news:preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("попередній перегляд"))

    @admin.action(description=_("Опублікувати вибрані"))
    def publish(self, request, queryset):
        for article in queryset:
            article.status = Article.Status.PUBLISHED
            article.save()

    @admin.action(description=_("Зняти з публікації вибрані"))
    def unpublish(self, request, queryset):
        for article in queryset:
            article.status = Article.Status.DRAFT
            article.save()


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]


@admin.register(OldSlug)
class OldSlugAdmin(admin.ModelAdmin):
    list_display = ["slug", "article"]
    search_fields = ["slug", "article__title"]
    raw_id_fields = ["article"]
