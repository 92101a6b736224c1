"""The story's one channel post: queued when a save releases it, sent once, edited, withdrawn.

Exactly one post per story: `TelegramPost` has one row per article, and a sender first claims
it with a conditional UPDATE (waiting → sending, or a sending row whose claim has run out), so
retries, a second worker or a restarted one find it taken or done. The claim is a lease renewed
before every attempt and every wait; the message id is stored the moment Telegram answers.

What no Bot API client can avoid (the Bot API has no idempotency key): a worker killed after
Telegram accepted a message but before its id was stored (a few milliseconds), or a call that
timed out after Telegram had taken it, ends in a second send of that story.
"""

import logging
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shpalta.news.models import Article
from shpalta.photos.pictures import stored as stored_rendition

from . import botapi, captions, conf
from .models import TelegramOptOut, TelegramPost

logger = logging.getLogger("shpalta.telegram")
State = TelegramPost.State


def eligible(article: Article) -> bool:
    """Written in the newsroom (importers' archives never flood the channel), not opted out."""
    if article.import_source:
        return False
    return not TelegramOptOut.objects.filter(article_id=article.pk, skip=True).exists()


def queue(article: Article, was_released: bool) -> bool:
    """Inside the saving transaction: a story this save released gets its waiting row (a story
    posted and then deleted on unpublishing waits again). True when something is to be sent."""
    if not conf.enabled() or not article.is_released or not eligible(article):
        return False
    if was_released:
        return TelegramPost.objects.filter(article_id=article.pk, state=State.WAITING).exists()
    post, created = TelegramPost.objects.get_or_create(article_id=article.pk)
    if not created and post.state == State.DELETED:
        TelegramPost.objects.filter(pk=post.pk, state=State.DELETED).update(
            state=State.WAITING, message_id=None, error=""
        )
    return True


def is_posted(article_id: int) -> bool:
    return TelegramPost.objects.filter(article_id=article_id, state=State.POSTED).exists()


def posted_message(article_id: int) -> tuple[str, int] | None:
    """(channel, message id) of the story's post, if it has one."""
    row = TelegramPost.objects.filter(article_id=article_id, state=State.POSTED).first()
    return (row.chat_id, row.message_id) if row and row.message_id else None


# -- sending -----------------------------------------------------------------------------------


def lease(seconds: float = 0) -> timedelta:
    """How long a claim holds: one call's deadline and the wait before it, with a margin."""
    return timedelta(seconds=seconds + conf.timeout() + 5)


def claim(post_id: int) -> str | None:
    """The post for this sender alone (its claim token), or None: taken, done or opted out."""
    token, now = uuid.uuid4().hex, timezone.now()
    free = Q(state=State.WAITING) | Q(state=State.SENDING, claimed_until__lt=now)
    taken = TelegramPost.objects.filter(free, pk=post_id).update(
        state=State.SENDING, claim=token, claimed_until=now + lease()
    )
    return token if taken else None


def _renew(post_id: int, token: str, wait: float = 0) -> None:
    TelegramPost.objects.filter(pk=post_id, claim=token).update(
        claimed_until=timezone.now() + lease(wait)
    )


def _finish(post_id: int, token: str, **fields) -> None:
    TelegramPost.objects.filter(pk=post_id, claim=token).update(claim="", **fields)


def post(article_id: int) -> str:
    """Send the story if it is live and its post is waiting; what happened, in one word."""
    article = Article.objects.filter(pk=article_id).first()
    row = TelegramPost.objects.filter(article_id=article_id).first()
    if article is None or row is None or not conf.enabled():
        return "nothing"
    if row.state not in (State.WAITING, State.SENDING) or not eligible(article):
        return "nothing"
    if not article.is_live:
        return "scheduled" if article.is_released else "nothing"
    token = claim(row.pk)
    if token is None:
        return "taken"
    return _send(article, row.pk, token)


def _send(article: Article, post_id: int, token: str) -> str:
    method, params, upload = _message(article)
    try:
        result = with_retries(lambda: botapi.call(method, params, upload), post_id, token)
    except botapi.BotApiError as error:
        return _failed(article, post_id, token, error)
    _finish(
        post_id,
        token,
        state=State.POSTED,
        chat_id=conf.chat_id(),
        message_id=result.get("message_id"),
        with_photo=upload is not None or "photo" in params,
        sent_title=article.title,
        sent_lead=article.lead,
        posted_at=timezone.now(),
        error="",
    )
    logger.info("story %s posted to Telegram as message %s", article.pk, result.get("message_id"))
    return "posted"


def _failed(article: Article, post_id: int, token: str, error: botapi.BotApiError) -> str:
    """A refusal stops for good (the editor sees why); a lasting outage waits for the sweep."""
    message = explain(error)
    logger.warning("story %s not posted to Telegram: %s", article.pk, botapi.mask(str(error)))
    state = State.WAITING if error.retryable else State.FAILED
    _finish(post_id, token, state=state, claimed_until=None, error=message)
    return "retry-later" if error.retryable else "failed"


def _message(article: Article):
    """sendPhoto with the cover (its file when the site stores it, else its address), or
    sendMessage when there is none."""
    chat = conf.chat_id()
    if article.cover_id and _rendition_file(article.cover):
        caption = captions.for_article(article, captions.CAPTION_LIMIT)
        params = {"chat_id": chat, "caption": caption, "parse_mode": "HTML"}
        return "sendPhoto", params, botapi.Upload("photo", _rendition_file(article.cover))
    cover = article.cover_image
    if cover and _local_file(cover):
        caption = captions.for_article(article, captions.CAPTION_LIMIT)
        params = {"chat_id": chat, "caption": caption, "parse_mode": "HTML"}
        return "sendPhoto", params, botapi.Upload("photo", _local_file(cover))
    if article.cover_image_url:
        caption = captions.for_article(article, captions.CAPTION_LIMIT)
        params = {"chat_id": chat, "photo": article.cover_image_url, "caption": caption}
        return "sendPhoto", params | {"parse_mode": "HTML"}, None
    text = captions.for_article(article, captions.MESSAGE_LIMIT)
    return "sendMessage", {"chat_id": chat, "text": text, "parse_mode": "HTML"}, None


def _rendition_file(image):
    """The library cover's largest JPEG rendition (no metadata) as a local file."""
    try:
        path = Path(default_storage.path(stored_rendition(image)))
    except (NotImplementedError, OSError):
        return None
    return path if path.is_file() else None


def _local_file(cover):
    try:
        path = Path(cover.path)
    except (NotImplementedError, ValueError):
        return None
    return path if path.is_file() else None


def with_retries(send, post_id: int | None = None, token: str = ""):
    """`send()` again after a 429 (its retry_after), a 5xx or a timeout (1, 2, 4 … s), up to
    SHPALTA_TELEGRAM_ATTEMPTS times; a refusal (400, 401, 403, 404) is raised at once."""
    for attempt in range(conf.attempts()):
        try:
            return send()
        except botapi.BotApiError as error:
            wait = _wait_for(error, attempt)
            if wait is None or attempt + 1 == conf.attempts():
                raise
            logger.info("Telegram: %s; again in %s s", botapi.mask(str(error)), wait)
            if post_id is not None:
                _renew(post_id, token, wait)
            time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def _wait_for(error: botapi.BotApiError, attempt: int) -> float | None:
    if not error.retryable:
        return None
    if error.code == 429 and error.retry_after is not None:
        return error.retry_after if error.retry_after <= conf.MAX_WAIT_SECONDS else None
    return min(2**attempt, conf.MAX_BACKOFF_SECONDS)


def explain(error: botapi.BotApiError) -> str:
    """What the editor reads on the story."""
    said = f"«{error.description}»" if error.description else ""
    values = {"code": error.code or _("немає відповіді"), "said": said}
    return _message_for(error.code) % values


def _message_for(code: int) -> str:
    if code in (401, 404):
        return _(
            "Telegram не приймає токен бота (%(code)s): перевірте "
            "SHPALTA_TELEGRAM_BOT_TOKEN. %(said)s"
        )
    if code == 403:
        return _(
            "Telegram не дозволяє боту писати в канал (%(code)s): додайте бота "
            "адміністратором каналу з правом публікувати. %(said)s"
        )
    if code == 400:
        return _(
            "Telegram відхилив допис (%(code)s): перевірте SHPALTA_TELEGRAM_CHAT_ID "
            "і текст. %(said)s"
        )
    if code == 429:
        return _("Telegram просить зачекати: допис буде надіслано пізніше. %(said)s")
    return _("Telegram зараз недоступний (%(code)s): допис буде надіслано пізніше. %(said)s")


# -- after the post: edits and withdrawal -----------------------------------------------------


def sync(article_id: int) -> str:
    """An edited story brings its post up to date: a new headline or lead edits the message;
    unpublished (with SHPALTA_TELEGRAM_DELETE_ON_UNPUBLISH), the message is deleted."""
    article = Article.objects.filter(pk=article_id).first()
    row = TelegramPost.objects.filter(article_id=article_id, state=State.POSTED).first()
    if article is None or row is None or not conf.enabled():
        return "nothing"
    if not article.is_released:
        return delete(row) if conf.delete_on_unpublish() else "nothing"
    if (article.title, article.lead) == (row.sent_title, row.sent_lead):
        return "unchanged"
    return edit(article, row)


def edit(article: Article, row: TelegramPost) -> str:
    limit = captions.CAPTION_LIMIT if row.with_photo else captions.MESSAGE_LIMIT
    text = captions.for_article(article, limit)
    method = "editMessageCaption" if row.with_photo else "editMessageText"
    params = {"chat_id": row.chat_id, "message_id": row.message_id, "parse_mode": "HTML"}
    params["caption" if row.with_photo else "text"] = text
    try:
        with_retries(lambda: botapi.call(method, params))
    except botapi.BotApiError as error:
        if "not modified" not in error.description:
            TelegramPost.objects.filter(pk=row.pk).update(error=explain(error))
            return "failed"
    TelegramPost.objects.filter(pk=row.pk).update(
        sent_title=article.title, sent_lead=article.lead, error=""
    )
    return "edited"


def delete(row: TelegramPost) -> str:
    params = {"chat_id": row.chat_id, "message_id": row.message_id}
    try:
        with_retries(lambda: botapi.call("deleteMessage", params))
    except botapi.BotApiError as error:
        if error.retryable:
            TelegramPost.objects.filter(pk=row.pk).update(error=explain(error))
            return "failed"
        # 400 "message to delete not found": someone deleted it in Telegram already.
    TelegramPost.objects.filter(pk=row.pk, state=State.POSTED).update(state=State.DELETED)
    return "deleted"


def delete_message(chat_id: str, message_id: int) -> None:
    """A deleted story's post leaves the channel too (its row went with the story)."""
    params = {"chat_id": chat_id, "message_id": message_id}
    try:
        with_retries(lambda: botapi.call("deleteMessage", params))
    except botapi.BotApiError as error:
        logger.warning("Telegram message %s not deleted: %s", message_id, error)


# -- the catch-up sweep -------------------------------------------------------------------------


def due() -> list[int]:
    """Waiting posts of live stories, and posts whose sender died (its claim ran out)."""
    now = timezone.now()
    stuck = Q(state=State.SENDING, claimed_until__lt=now)
    rows = TelegramPost.objects.filter(Q(state=State.WAITING) | stuck)
    live = rows.filter(article__in=Article.objects.published()).exclude(
        article__telegram_opt__skip=True
    )
    return list(live.values_list("article_id", flat=True)[:100])


def sweep() -> dict[str, int]:
    counts: dict[str, int] = {}
    for article_id in due():
        outcome = post(article_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def retry(article_ids) -> int:
    """An editor's «Надіслати в Telegram ще раз» after fixing what made Telegram refuse."""
    return TelegramPost.objects.filter(article_id__in=article_ids, state=State.FAILED).update(
        state=State.WAITING, error=""
    )
