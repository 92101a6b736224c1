"""The search page's parameters: anything malformed is dropped, never an error page."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shpalta.news.models import Category


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label=_("Що шукати"))
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(),
        required=False,
        to_field_name="slug",
        label=_("Рубрика"),
        empty_label=_("Усі рубрики"),
    )
    date_from = forms.DateField(
        required=False, label=_("Від"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("До"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def values(self) -> dict:
        """Valid fields only: a bad date or unknown category is ignored, the query still runs."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            start, end = end, start
        return {
            "category": data.get("category"),
            "date_from": moment(start, time.min),
            "date_to": moment(end, time.max),
        }


def moment(day, at) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, at)) if day else None
