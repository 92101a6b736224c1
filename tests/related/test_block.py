import pytest

from shpalta.related import scoring
from shpalta.related.models import RelatedLink
from shpalta.text.cleaning import cut

from .stories import BRIDGE, FOOTBALL, UNRELATED

pytestmark = pytest.mark.django_db


def test_the_article_page_shows_more_like_this(client, publish):
    first = publish(BRIDGE[0], cover_image_url="https://example.com/bridge.jpg")
    second = publish(
        BRIDGE[1],
        lead="Кабінет міністрів обговорює, чи передати міст Патона у "
        "власність Києва, і чекає висновків інженерів щодо стану його опор.",
    )
    publish(FOOTBALL[0])
    html = client.get(second.get_absolute_url()).content.decode()
    block = html[html.index('class="related"') :]
    assert "Більше подібного" in block
    assert first.title in block and FOOTBALL[0][0] not in block
    assert 'src="https://example.com/bridge.jpg"' in block  # thumbnail: it has a cover
    page = client.get(first.get_absolute_url()).content.decode()
    teaser = page[page.index('class="related__teaser"') :].split("</p>")[0]
    assert teaser.endswith("…") and len(teaser) < 140


def test_no_block_when_nothing_is_related(client, publish):
    article = publish(BRIDGE[0])
    publish(UNRELATED)
    html = client.get(article.get_absolute_url()).content.decode()
    # the sidebar lists the latest stories until views exist: only the rest of the page counts
    head, aside = html.split('<aside class="sidebar"', 1)
    outside = head + aside.split("</aside>", 1)[1]
    assert "Більше подібного" not in outside and UNRELATED[0] not in outside


def test_reading_a_page_never_computes_similarity(client, publish, monkeypatch):
    article = publish(BRIDGE[0])
    publish(BRIDGE[1])

    def forbidden(*args, **kwargs):
        raise AssertionError("similarity computed while reading a page")

    monkeypatch.setattr(scoring, "candidates", forbidden)
    assert "Більше подібного" in client.get(article.get_absolute_url()).content.decode()


def test_the_block_hides_a_stored_entry_that_is_no_longer_published(client, publish):
    first, second = publish(BRIDGE[0]), publish(BRIDGE[1])
    # a bulk status change sends no signal; the stored link is still there
    type(second).objects.filter(pk=second.pk).update(status="draft")
    assert RelatedLink.objects.filter(article=first, related=second).exists()
    html = client.get(first.get_absolute_url()).content.decode()
    assert second.title not in html


BRIDGE_NEWS = [
    "Кличко заявив, що міст Патона потребує негайного ремонту опор.",
    "Інженери знайшли тріщини у балках мосту Патона під час обстеження.",
    "Уряд погодився передати міст Патона у власність Києва.",
    "Київрада виділила кошти на реконструкцію мосту Патона.",
    "Підрядник розпочав ремонт асфальту на мосту Патона вночі.",
    "На мосту Патона обмежили рух вантажівок через стан опор.",
    "Трамвайні колії на мосту Патона замінять під час реконструкції.",
    "Експерти радять посилити опори мосту Патона до початку зими.",
    "Водії скаржаться на затори біля мосту Патона через ремонт.",
    "Міст Патона після реконструкції отримає нове освітлення.",
    "Кличко показав проєкт реконструкції мосту Патона журналістам.",
]


def test_the_block_shows_at_most_eight(client, publish):
    n = len(BRIDGE_NEWS)
    stories = [
        (f"Міст Патона: новина {i + 1}", f"{BRIDGE_NEWS[i]} {BRIDGE_NEWS[(i + 1) % n]}")
        for i in range(n)
    ]
    articles = [publish(story) for story in stories]
    html = client.get(articles[-1].get_absolute_url()).content.decode()
    assert html.count('class="related__item"') == 8


def test_the_block_reads_its_cards_in_one_query_without_the_html_body(publish):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shpalta.related.templatetags.related import TEASER_LENGTH, related_items

    first = publish(BRIDGE[0], cover_image_url="https://example.com/bridge.jpg")
    second = publish(BRIDGE[1])
    with CaptureQueriesContext(connection) as captured:
        items = related_items(second)
        shown = [(i["article"].title, i["article"].cover_url, i["teaser"]) for i in items]
        urls = [i["article"].get_absolute_url() for i in items]
    assert len(captured.captured_queries) == 1
    assert shown == [(first.title, first.cover_url, cut(first.teaser, TEASER_LENGTH))]
    assert urls == [first.get_absolute_url()]
    assert "body" in items[0]["article"].get_deferred_fields()
