"""Old addresses and polled feeds in the admin: editors can see and fix where old links go."""

from django.contrib import admin

from .models import FeedSource, LegacyURL


@admin.register(LegacyURL)
class LegacyURLAdmin(admin.ModelAdmin):
    list_display = ["path", "article", "category", "tag", "author", "source"]
    list_filter = ["source"]
    search_fields = ["path", "article__title"]
    raw_id_fields = ["article", "category", "tag", "author"]
    list_per_page = 100


@admin.register(FeedSource)
class FeedSourceAdmin(admin.ModelAdmin):
    list_display = ["url", "title", "last_polled_at", "last_status"]
    search_fields = ["url", "title"]
    readonly_fields = ["etag", "modified", "last_polled_at", "last_status"]
