"""`shpalta live start|post|end ID`: the same rules and invalidation as the editors' form."""

import pytest
from django.core.management import CommandError, call_command

from shpalta.caching import scopes
from shpalta.live import service
from shpalta.live.models import LiveCoverage, LiveEntry
from shpalta.news import factories


def live(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("live", *map(str, args), stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db(transaction=True)
def test_a_bot_starts_posts_and_ends_a_live_story():
    article = factories.article("Повітряна тривога: онлайн")
    assert live("start", article.pk) == (
        f"Трансляція триває: «{article.title}» ({article.get_absolute_url()})"
    )
    token = scopes.token(service.scope(article.pk))
    said = live("post", article.pk, "Тривога в Києві", "--important")
    entry = LiveEntry.objects.get()
    assert said.startswith(f"Оновлення {entry.pk} додано о ") and entry.important
    assert scopes.token(service.scope(article.pk)) != token  # the story's cache retired
    assert live("end", article.pk) == f"Трансляцію «{article.title}» завершено."
    assert LiveCoverage.objects.get().state == LiveCoverage.State.ENDED


@pytest.mark.django_db
def test_refusals_are_clear_ukrainian_errors():
    article = factories.article("Звичайна стаття")
    with pytest.raises(CommandError, match="не є онлайн-трансляцією"):
        live("post", article.pk, "Текст")
    live("start", article.pk)
    with pytest.raises(CommandError, match="http"):
        live("post", article.pk, "Текст", "--link", "javascript:alert(1)")
    live("end", article.pk)
    with pytest.raises(CommandError, match="завершено"):
        live("post", article.pk, "Запізно")
    with pytest.raises(CommandError, match="немає"):
        live("start", 999999)
    assert not LiveEntry.objects.exists()
