"""The editors' fast-entry form: a live story's summary and state, a blank entry to post in one
step, and its latest entries to edit or delete, with the permissions of the entry model."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import BreakingNews, LiveCoverage, LiveEntry

ENTRIES_SHOWN = 30  # the latest entries the form lists; older ones stay on the page


class EntryFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """New entries only while the story runs: the rule `shpalta live post` keeps too."""
        super().clean()
        if self.instance.state == LiveCoverage.State.LIVE:
            return
        for form in self.extra_forms:
            if form.has_changed() and not self._should_delete_form(form):
                raise ValidationError(_("Трансляцію завершено: нові оновлення не додаються."))


class LiveEntryInline(admin.StackedInline):
    model = LiveEntry
    formset = EntryFormSet
    extra = 1
    fields = ["created_at", "text", "important", "link", "image"]
    readonly_fields = ["created_at"]  # the moment it is posted, not the moment the form opened
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})},
        models.URLField: {"assume_scheme": "https"},
    }
    verbose_name = _("оновлення")
    verbose_name_plural = _("оновлення (найновіші вгорі)")

    def get_queryset(self, request):
        latest = LiveEntry.objects.order_by("-created_at", "-id").values("pk")[:ENTRIES_SHOWN]
        return super().get_queryset(request).filter(pk__in=Subquery(latest))


@admin.register(LiveCoverage)
class LiveCoverageAdmin(admin.ModelAdmin):
    list_display = ["article", "state", "started_at", "ended_at", "entry_count"]
    list_filter = ["state"]
    search_fields = ["article__title"]
    autocomplete_fields = ["article"]
    fields = ["article", "state", "summary", "started_at", "ended_at"]
    inlines = [LiveEntryInline]
    save_on_top = True

    @admin.display(description=_("оновлень"))
    def entry_count(self, obj):
        return obj.entries.count()

    def save_model(self, request, obj, form, change):
        if obj.state == LiveCoverage.State.ENDED and obj.ended_at is None:
            obj.ended_at = timezone.now()
        elif obj.state == LiveCoverage.State.LIVE:
            obj.ended_at = None
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Each new entry is signed by the editor who posted it."""
        entries = formset.save(commit=False)
        for entry in entries:
            if entry.pk is None:
                entry.author = request.user
            entry.save()
        for entry in formset.deleted_objects:
            entry.delete()


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "starts_at", "expires_at"]
    autocomplete_fields = ["article"]
    fields = ["article", "text", "starts_at", "expires_at"]
