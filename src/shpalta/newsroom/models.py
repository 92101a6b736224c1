"""The newsroom's machinery around an article: who owns it, where it is in review, what
happened to it, and who is editing it now. Whether readers see it stays `Article.status`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Workflow(models.Model):
    """An unreleased story's place in review; a released one is `чернетка` here again, so
    unpublishing it brings it back as a draft."""

    class State(models.TextChoices):
        DRAFT = "draft", _("чернетка")
        REVIEW = "review", _("на перевірці")
        RETURNED = "returned", _("повернуто на доопрацювання")

    article = models.OneToOneField(
        "news.Article", verbose_name=_("стаття"), on_delete=models.CASCADE, related_name="workflow"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("власник"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("редакційний стан"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    note = models.TextField(_("коментар редактора"), blank=True)

    class Meta:
        verbose_name = _("редакційний стан")
        verbose_name_plural = _("редакційні стани")
        permissions = [
            ("publish_article", _("Може публікувати, планувати, знімати й повертати статті")),
            ("edit_others_article", _("Може бачити й редагувати статті інших авторів")),
        ]

    def __str__(self):
        return f"{self.article}: {self.get_state_display()}"


class Transition(models.Model):
    """One step of a story through the newsroom: who, when, and the editor's word."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("надіслано на перевірку")
        RETURN = "return", _("повернуто на доопрацювання")
        PUBLISH = "publish", _("опубліковано")
        SCHEDULE = "schedule", _("заплановано")
        UNPUBLISH = "unpublish", _("знято з публікації")
        RESTORE = "restore", _("відновлено версію")

    article = models.ForeignKey(
        "news.Article",
        verbose_name=_("стаття"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    action = models.CharField(_("дія"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("коли"), auto_now_add=True)
    comment = models.TextField(_("коментар"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("крок редакційної роботи")
        verbose_name_plural = _("кроки редакційної роботи")

    def __str__(self):
        return f"{self.article}: {self.get_action_display()}"


class RevisionTerms(models.Model):
    """The tags and authors a revision had: the article's history records its own columns
    only, so the admin writes these beside each revision it saves."""

    article = models.ForeignKey(
        "news.Article", verbose_name=_("стаття"), on_delete=models.CASCADE, related_name="+"
    )
    history_id = models.BigIntegerField(_("версія"), unique=True)
    tags = models.JSONField(_("теги"), default=list)
    authors = models.JSONField(_("автори"), default=list)

    class Meta:
        verbose_name = _("теги й автори версії")
        verbose_name_plural = _("теги й автори версій")

    def __str__(self):
        return f"{self.article}: {', '.join(self.tags) or '—'}"


class EditLock(models.Model):
    """Who has a story open in the admin: kept alive by the form's heartbeat, lapsed when the
    heartbeats stop (a closed tab, a crashed browser)."""

    article = models.OneToOneField(
        "news.Article",
        verbose_name=_("стаття"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("хто редагує"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    since = models.DateTimeField(_("з"))
    heartbeat = models.DateTimeField(_("останній сигнал"))

    class Meta:
        verbose_name = _("блокування редагування")
        verbose_name_plural = _("блокування редагування")

    def __str__(self):
        return f"{self.article}: {self.holder.get_full_name() or self.holder.get_username()}"


class Autosave(models.Model):
    """The text an editor had in an open form, saved every 30 seconds and on leaving the page:
    never the article itself, so nothing public changes until the editor saves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("хто"), on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(
        "news.Article",
        verbose_name=_("стаття"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Порожньо — нова стаття, ще не збережена."),
    )
    data = models.JSONField(_("текст форми"), default=dict)
    saved_at = models.DateTimeField(_("збережено"))

    class Meta:
        verbose_name = _("автозбереження")
        verbose_name_plural = _("автозбереження")

    def __str__(self):
        return self.data.get("title") or str(_("без заголовка"))
