"""The newsroom's ad desk: placements, creatives with their report, «без реклами» lists."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shpalta.photos import library

from . import report
from .models import AdFreeArticle, AdFreeRubric, Creative, Placement

REPORT_DAYS = (7, 30, 90)


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "enabled",
        "desktop_width",
        "desktop_height",
        "mobile_width",
        "mobile_height",
        "position",
    ]
    list_editable = ["enabled"]
    readonly_fields = ["key"]

    def has_add_permission(self, request):
        return False  # the six places are the templates' own

    def has_delete_permission(self, request, obj=None):
        return False


class CreativeForm(forms.ModelForm):
    """A banner's picture from the library, or uploaded here straight into it (verified,
    capped and cleaned of metadata by the library, the same file kept once)."""

    upload = forms.ImageField(
        label=_("або завантажте зображення"),
        required=False,
        help_text=_("Потрапить до медіатеки з альтернативним текстом банера."),
    )
    url = forms.URLField(
        label=_("посилання"), max_length=500, required=False, assume_scheme="https"
    )
    mobile_upload = forms.ImageField(
        label=_("або завантажте зображення для телефона"), required=False
    )

    class Meta:
        model = Creative
        widgets = {"placements": forms.CheckboxSelectMultiple}
        fields = [
            "name",
            "kind",
            "active",
            "placements",
            "image",
            "mobile_image",
            "alt",
            "url",
            "html",
            "starts_at",
            "ends_at",
            "weight",
            "rubrics",
            "tags",
        ]

    def clean(self):
        cleaned = super().clean()
        for upload, field in (("upload", "image"), ("mobile_upload", "mobile_image")):
            data = cleaned.get(upload)
            if not data:
                continue
            data.seek(0)
            try:
                image, _new = library.add(data.read(), data.name, alt=cleaned.get("alt", "")[:300])
            except forms.ValidationError as error:
                self.add_error(upload, error)
                continue
            cleaned[field] = image
        return cleaned


@admin.register(Creative)
class CreativeAdmin(admin.ModelAdmin):
    form = CreativeForm
    list_display = ["name", "kind", "state", "starts_at", "ends_at", "weight", "report_link"]
    list_filter = ["active", "kind", "placements"]
    search_fields = ["name", "alt", "url"]
    autocomplete_fields = ["image", "mobile_image", "rubrics", "tags"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "active", "placements"]}),
        (
            _("Банер"),
            {"fields": ["image", "upload", "mobile_image", "mobile_upload", "alt", "url"]},
        ),
        (_("Код рекламної мережі"), {"fields": ["html"]}),
        (_("Розклад і ротація"), {"fields": ["starts_at", "ends_at", "weight"]}),
        (_("Де показувати"), {"fields": ["rubrics", "tags"]}),
    ]

    @admin.display(description=_("стан"))
    def state(self, obj):
        now = timezone.now()
        if not obj.active:
            return _("вимкнено")
        if obj.ends_at and obj.ends_at <= now:
            return _("завершено")
        if obj.starts_at and obj.starts_at > now:
            return _("заплановано")
        return _("показується")

    @admin.display(description=_("звіт"))
    def report_link(self, obj):
        url = reverse("admin:ads_creative_report") + f"?creative={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Покази й кліки"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("report/", view(self.report_view), name="ads_creative_report"),
            path("report.csv", view(self.report_csv), name="ads_creative_report_csv"),
            *super().get_urls(),
        ]

    def _period(self, request):
        try:
            days = int(request.GET.get("days", 30))
        except ValueError:
            days = 30
        days = days if days in REPORT_DAYS else 30
        try:
            creative = int(request.GET.get("creative", ""))
        except ValueError:
            creative = None
        return days, creative

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        days, creative_id = self._period(request)
        start, end = report.period(days)
        found = report.rows(start, end, creative_id)
        creative = Creative.objects.filter(pk=creative_id).first() if creative_id else None
        totals = report.daily_totals(start, end, creative_id)
        impressions = sum(i for _, i, _ in totals)
        clicks = sum(c for _, _, c in totals)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Звіт: покази, кліки, CTR"),
            "creative": creative,
            "creatives": Creative.objects.order_by("name"),
            "days": days,
            "day_choices": REPORT_DAYS,
            "start": start,
            "end": end,
            "rows": found,
            "chart": report.chart(totals),
            "impressions": impressions,
            "clicks": clicks,
            "ctr": 100.0 * clicks / impressions if impressions else 0.0,
            "csv_query": request.GET.urlencode(),
        }
        return TemplateResponse(request, "ads/admin/report.html", context)

    def report_csv(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        days, creative_id = self._period(request)
        start, end = report.period(days)
        body = report.as_csv(report.rows(start, end, creative_id))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ads-{start}-{end}.csv"'
        return response


@admin.register(AdFreeArticle)
class AdFreeArticleAdmin(admin.ModelAdmin):
    list_display = ["article", "note"]
    autocomplete_fields = ["article"]
    search_fields = ["article__title"]


@admin.register(AdFreeRubric)
class AdFreeRubricAdmin(admin.ModelAdmin):
    list_display = ["rubric", "note"]
