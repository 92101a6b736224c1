"""The article form with the newsroom's extra fields: the review step the editor pressed, the
comment for the author, and the version the form was opened at (a stale save is refused)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .roles import may_publish


class NewsroomArticleForm(forms.ModelForm):
    workflow_action = forms.ChoiceField(
        choices=[("", ""), ("submit", "submit"), ("return", "return")], required=False
    )
    return_comment = forms.CharField(
        label=gettext_lazy("Коментар для автора"), required=False, widget=forms.Textarea
    )
    user = None  # set by the admin's get_form: what this editor may do

    def clean(self):
        data = super().clean()
        action = data.get("workflow_action")
        if action == "submit" and not self._unreleased():
            raise forms.ValidationError(_("Опублікована стаття не йде на перевірку."))
        if action == "return":
            self._check_return(data)
        return data

    def _unreleased(self) -> bool:
        status = self.cleaned_data.get("status", self.instance.status)
        return status != self.instance.Status.PUBLISHED

    def _check_return(self, data):
        if not may_publish(self.user):
            raise forms.ValidationError(_("Повертати статті на доопрацювання може лише редактор."))
        if not self._unreleased():
            raise forms.ValidationError(_("Опубліковану статтю не повертають на доопрацювання."))
        if not data.get("return_comment", "").strip():
            raise forms.ValidationError(_("Напишіть авторові, що виправити."))
