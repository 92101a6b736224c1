"""What the admin may store in a creative: every value comes from outside and is checked.

A banner's picture comes from the photo library (shpalta.photos: verified, capped and
stripped of metadata there); a target link is http(s) only; an ad network's snippet may load
scripts only from the hosts the administrator configured and carries no inline script or
event handler (the CSP would block them anyway; refusing them here tells the editor at once
instead of failing quietly).
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import conf

MAX_SNIPPET = 10_000


def validate_target_url(value: str) -> None:
    if "\x00" in value:
        raise ValidationError(_("Посилання містить недопустимий символ."))
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_("Посилання має починатися з http:// або https://."))


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


class _SnippetCheck(HTMLParser):
    def __init__(self, allowed: set[str]):
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(_("обробник подій «%s»") % name)
            dangerous = ("javascript:", "data:text", "vbscript:")
            if (
                name in ("src", "href", "action", "formaction", "data")
                and value
                and value.strip().lower().startswith(dangerous)
            ):
                self.problems.append(_("посилання «%s»") % value[:40])
        if tag in ("script", "iframe"):
            src = dict(attrs).get("src") or ""
            if not src and tag == "script":
                self.problems.append(_("вбудований скрипт без src"))
            elif origin(src) not in self.allowed:
                self.problems.append(_("«%s» не з дозволених хостів") % src[:80])
            self.in_script = tag == "script"
        if tag in ("base", "meta", "link", "object", "embed", "form"):
            self.problems.append(_("тег <%s>") % tag)

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append(_("вбудований скрипт"))


def validate_snippet(value: str) -> None:
    if not value:
        return
    if "\x00" in value:
        raise ValidationError(_("Код містить недопустимий символ."))
    if len(value) > MAX_SNIPPET:
        raise ValidationError(_("Код задовгий: найбільше 10 000 символів."))
    check = _SnippetCheck({origin(host) or host.lower() for host in conf.network_hosts()})
    check.feed(value)
    check.close()
    if check.problems:
        raise ValidationError(
            _(
                "Код не можна показати: %(problems)s. Скрипти й фрейми — лише з хостів, "
                "названих у SHPALTA_ADS_NETWORK_HOSTS."
            )
            % {"problems": "; ".join(dict.fromkeys(check.problems))}
        )
