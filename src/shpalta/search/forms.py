"""The search page's parameters: anything malformed is dropped, never an error page."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from shpalta.news import fragments
from shpalta.news.models import Category

DATE_FIELDS = ("date_from", "date_to")


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

    def filter_widgets(self, request=None) -> dict[str, SafeString]:
        """The rubric and date inputs, written as Django's widget templates write them.

        Those templates cost about a millisecond a search (a template include per rubric, and
        a query for the rubrics); here the markup is put together directly, the rubrics read
        once per content version (news/fragments.py). A field with an error (a bad date, an
        unknown rubric) is rendered by Django itself: its aria attributes are Django's to say.
        tests/search/test_filter_widgets.py holds the two renderings equal.
        """
        self.is_valid()
        widgets = {}
        for name in ("category", *DATE_FIELDS):
            if self.errors.get(name):
                widgets[name] = SafeString(self[name])
            elif name == "category":
                widgets[name] = self._rubric_select(request)
            else:
                widgets[name] = self._date_input(name)
        return widgets

    def _raw(self, name: str):
        """What the bound field shows: the submitted value as typed (BoundField.value())."""
        field = self.fields[name]
        return field.prepare_value(
            field.bound_data(field.widget.value_from_datadict(self.data, self.files, name), None)
        )

    def _date_input(self, name: str) -> SafeString:
        value = self.fields[name].widget.format_value(self._raw(name))
        shown = "" if value is None else f' value="{escape(value)}"'
        return mark_safe(f'<input type="date" name="{name}"{shown} id="id_{name}">')  # noqa: S308

    def _rubric_select(self, request) -> SafeString:
        raw = self._raw("category")
        current = "" if raw is None else str(raw)
        options = fragments.cached(request, "search-rubric-options", (), self._rubric_options)
        parts = ['<select name="category" id="id_category">']
        selected = False
        for value, html in options:
            mark = ""
            if not selected and value == current:
                mark, selected = " selected", True
            parts.append(f'\n  <option value="{escape(value)}"{mark}>{html}</option>\n')
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above

    def _rubric_options(self) -> list[tuple[str, str]]:
        """(value, escaped label) of every option, «Усі рубрики» first, in the field's order."""
        return [(str(value), str(conditional_escape(label))) for value, label in
                self.fields["category"].choices]  # fmt: skip


def moment(day, at) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, at)) if day else None
