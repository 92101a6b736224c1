"""The article form with the newsroom's extra fields: the review step the editor pressed, the
comment for the author, and the version the form was opened at (a stale save is refused)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shpalta.text.cleaning import plain_text

from . import revisions
from .roles import may_publish

STALE_FIELDS = ["title", "lead", "body"]


def version_of(article) -> str:
    """What a form was opened at: the row's last save time, exact to the microsecond."""
    return article.updated_at.isoformat() if article.updated_at else ""


class NewsroomArticleForm(forms.ModelForm):
    workflow_action = forms.ChoiceField(
        choices=[("", ""), ("submit", "submit"), ("return", "return")], required=False
    )
    return_comment = forms.CharField(
        label=gettext_lazy("Коментар для автора"), required=False, widget=forms.Textarea
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    user = None  # set by the admin's get_form: what this editor may do
    stale_rows = None  # the difference shown when a save came too late

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = version_of(self.instance)

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            self._refuse_stale(data)
        action = data.get("workflow_action")
        if action == "submit" and not self._unreleased():
            raise forms.ValidationError(_("Опублікована стаття не йде на перевірку."))
        if action == "return":
            self._check_return(data)
        return data

    def _refuse_stale(self, data):
        """Someone saved the story after this form was opened: refuse, show the difference,
        and let a second save (made knowing it) write over theirs."""
        opened_at = data.get("version")
        saved = type(self.instance).objects.filter(pk=self.instance.pk).first()
        if not opened_at or saved is None or opened_at == version_of(saved):
            return  # no version: not the admin's own form (a script), nothing to compare
        self.data = self.data.copy()
        self.data["version"] = version_of(saved)
        newest = saved.history.select_related("history_user").order_by("-history_id").first()
        theirs = {name: getattr(saved, name) for name in STALE_FIELDS}
        mine = {name: data.get(name, theirs[name]) or "" for name in STALE_FIELDS}
        theirs["body"], mine["body"] = plain_text(theirs["body"]), plain_text(mine["body"])
        self.stale_rows = revisions.compare(theirs, mine, STALE_FIELDS)
        message = _(
            "Поки ви редагували, статтю вже змінено (%(who)s, о %(time)s). Ваші зміни не записано. "
            "Нижче — різниця між збереженою версією і вашою; щоб записати свою поверх, "
            "збережіть ще раз."
        )
        who = revisions.who(newest.history_user if newest else None)
        time = timezone.localtime(saved.updated_at).strftime("%H:%M")
        raise forms.ValidationError(message % {"who": who, "time": time})

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
