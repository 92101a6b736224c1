"""A story's steps through review: send, return with a comment, publish, unpublish.

Each step is recorded as a Transition (who, when, comment). Readers' visibility is still only
`Article.status` and the publishing rule in news; the review state lives in `Workflow`.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from shpalta.news.models import Article

from .models import Transition, Workflow
from .roles import PUBLISH

log = logging.getLogger(__name__)


def workflow_of(article: Article) -> Workflow:
    workflow, _created = Workflow.objects.get_or_create(article=article)
    return workflow


def state_label(article: Article) -> str:
    """The one word an editor reads for a story: released states from the publishing rule,
    the others from review."""
    if article.is_released:
        return _("заплановано") if article.is_scheduled else _("опубліковано")
    try:
        return article.workflow.get_state_display()
    except Workflow.DoesNotExist:
        return str(Workflow.State.DRAFT.label)


def record(article: Article, action: str, actor, comment: str = "") -> Transition:
    return Transition.objects.create(article=article, action=action, actor=actor, comment=comment)


def started(article: Article, user) -> None:
    """A story made in the admin belongs to whoever started it."""
    Workflow.objects.update_or_create(article=article, defaults={"owner": user})


def submit(article: Article, user) -> None:
    _set_state(article, Workflow.State.REVIEW, note="")
    record(article, Transition.Action.SUBMIT, user)
    transaction.on_commit(lambda: notify_editors(article.pk, user))


def send_back(article: Article, user, comment: str) -> None:
    _set_state(article, Workflow.State.RETURNED, note=comment)
    record(article, Transition.Action.RETURN, user, comment)
    transaction.on_commit(lambda: notify_owner(article.pk, user, comment))


def released(article: Article, user) -> None:
    """Published or scheduled: review is over, and an unpublish later makes it a draft."""
    _set_state(article, Workflow.State.DRAFT, note="")
    action = Transition.Action.SCHEDULE if article.is_scheduled else Transition.Action.PUBLISH
    record(article, action, user)


def withdrawn(article: Article, user) -> None:
    _set_state(article, Workflow.State.DRAFT, note="")
    record(article, Transition.Action.UNPUBLISH, user)


def _set_state(article: Article, state: str, note: str) -> None:
    Workflow.objects.update_or_create(article=article, defaults={"state": state, "note": note})


def in_review():
    """The «На перевірці» queue: unreleased stories waiting for an editor."""
    return Article.objects.drafts().filter(workflow__state=Workflow.State.REVIEW)


def editors():
    """Who hears of a story sent for review: active users who may publish, with an address."""
    perms = Q(groups__permissions__codename=PUBLISH.split(".")[1]) | Q(
        user_permissions__codename=PUBLISH.split(".")[1]
    )
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(perms | Q(is_superuser=True)).distinct()


def notify_editors(article_pk: int, author) -> None:
    article = Article.objects.get(pk=article_pk)
    subject = _("На перевірці: «%(title)s»") % {"title": article.title}
    body = _("%(who)s надсилає на перевірку статтю «%(title)s».\n\n%(link)s") % {
        "who": author.get_full_name() or author.get_username(),
        "title": article.title,
        "link": _admin_link(article),
    }
    _send(subject, body, [user.email for user in editors() if user.pk != author.pk])


def notify_owner(article_pk: int, editor, comment: str) -> None:
    workflow = Workflow.objects.select_related("owner", "article").get(article_id=article_pk)
    if not workflow.owner or not workflow.owner.email:
        return
    subject = _("Повернуто на доопрацювання: «%(title)s»") % {"title": workflow.article.title}
    body = _("%(who)s повертає статтю «%(title)s»:\n\n%(comment)s\n\n%(link)s") % {
        "who": editor.get_full_name() or editor.get_username(),
        "title": workflow.article.title,
        "comment": comment,
        "link": _admin_link(workflow.article),
    }
    _send(subject, body, [workflow.owner.email])


def _admin_link(article: Article) -> str:
    return settings.SITE_URL + reverse("admin:news_article_change", args=[article.pk])


def _send(subject: str, body: str, recipients: list[str]) -> None:
    """A mail server that is down must not undo an editor's step: it is logged instead."""
    if not recipients:
        return
    try:
        send_mail(subject, body, None, recipients)
    except (OSError, smtplib.SMTPException):
        log.exception("newsroom mail to %s failed", recipients)
