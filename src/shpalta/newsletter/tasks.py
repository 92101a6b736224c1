"""Newsletter work for the task worker, or at once after commit by default."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from . import conf, sending, tokens


@task()
def send_issue(issue_id: int) -> dict:
    """Send or resume an issue; a live sender already on it makes this run a no-op."""
    try:
        return sending.send_issue(issue_id)
    except sending.Busy:
        return {"busy": 1}


@task()
def send_confirmation(email: str) -> bool:
    """The double opt-in letter: a signed link that expires in three days."""
    if not conf.can_send():
        return False
    link = settings.SITE_URL + reverse("newsletter:confirm", args=[tokens.confirm_token(email)])
    text = render_to_string(
        "newsletter/email/confirm.txt", {"site": settings.SITE_NAME, "link": link}
    )
    subject = _("Підтвердіть підписку на розсилку «%(site)s»") % {"site": settings.SITE_NAME}
    send_mail(subject, text, None, [email])
    return True
