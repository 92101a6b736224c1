"""Every admin page an editor uses reads as Ukrainian: no English word outside a short
allow-list, and none of the ungrammatical phrases Django's generic strings used to make."""

import re

import lxml.html
import pytest
from django.contrib.auth import get_user_model

from shpalta.news import factories
from shpalta.news.models import Article, Author, Category, Tag
from shpalta.newsroom import workflow
from shpalta.newsroom.roles import ADMINISTRATOR, AUTHOR, CHIEF, EDITOR
from tests.conftest import article_form

from .conftest import logged_in

pytestmark = pytest.mark.django_db

ALLOWED = {"URL", "SEO", "HTML", "Telegram"}  # brand names and abbreviations an editor knows
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]|[A-Za-z]")
UNGRAMMATICAL = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in [
        r"(Додати|Змінити|Переглянути|Виберіть|Вибрати) (стаття|рубрика|стара адреса|автор\b)",
        r"За (рубрика|автори|стан|редакційний стан|час публікації)\b",
        r"(стаття|рубрика|тег|автор) [\"«“].*[\"»”] (було|був)",
        r"успішно",  # Django's «… було змінено успішно»
        r"[^,] щоб змінити",  # the comma is missing in «Виберіть стаття щоб змінити»
        r"обрану (рубрика|стаття|автор|тег)",  # «Змінити обрану рубрика»
        r"\"[^\"<>]{1,200}\"",  # straight quotes around a name instead of «»
        r"\bNone\b",
        r"у \w+ додатку",  # «Моделі у Новини додатку»
        r"додати інше",
        r"\d{2}:\d{2}:\d{2}\.\d+",  # times with microseconds
    ]
]
# What a person reads in an attribute: tooltips, placeholders, button labels.
READ_ATTRIBUTES = ["title", "placeholder", "aria-label", "alt"]


def readable_text(html: str) -> str:
    """The page's visible text and the attributes people read, without scripts and styles."""
    tree = lxml.html.fromstring(html)
    # A textarea holds the story's own text (HTML for the rich-text editor), not the admin's.
    for node in tree.xpath("//script|//style|//svg|//noscript|//textarea|//*[@hidden]"):
        node.drop_tree()
    parts = [tree.text_content()]
    for attribute in READ_ATTRIBUTES:
        parts += tree.xpath(f"//@{attribute}")
    parts += tree.xpath("//input[@type='submit' or @type='button']/@value")
    parts += [o.text_content() for o in tree.xpath("//select/option")]
    return re.sub(r"\s+", " ", " ".join(parts))


def problems_on(text: str, data: set[str] = frozenset()) -> list[str]:
    english = {word for word in LATIN_WORD.findall(text) if word not in ALLOWED | data}
    found = [f"English: {sorted(english)}"] if english else []
    for pattern in UNGRAMMATICAL:
        found += [f"ungrammatical: {m.group(0)!r}" for m in pattern.finditer(text)]
    return found


def data_words() -> set[str]:
    """Latin words that are the newsroom's data, not the admin's: slugs and account names."""
    words = set()
    for model in (Article, Category, Tag, Author):
        words |= set(model.objects.values_list("slug", flat=True))
    for user in get_user_model().objects.all():
        words |= {user.username, *LATIN_WORD.findall(user.email)}
    return {part for word in words for part in LATIN_WORD.findall(word)}


def walk(client, urls) -> dict[str, list[str]]:
    report = {}
    data = data_words()
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        found = problems_on(readable_text(response.content.decode()), data)
        if found:
            report[url] = found
    return report


@pytest.fixture
def newsroom(people):
    """A story in each state, and the things it is filed under."""
    politics = factories.category("Політика")
    writer = factories.author("Олена Петренко")
    live = factories.article("Жива", category=politics, tags=["мости"], authors=[writer])
    draft = factories.article("Чернетка", status="draft", category=politics)
    workflow.started(draft, people[AUTHOR])
    workflow.submit(draft, people[AUTHOR])
    editor = logged_in(people[EDITOR])
    editor.post(f"/admin/news/article/{live.pk}/change/", article_form("Жива новина", "<p>Т.</p>"))
    return {"live": live, "draft": draft, "rubric": politics, "writer": writer}


def editor_pages(items) -> list[str]:
    live, draft, rubric = items["live"], items["draft"], items["rubric"]
    revisions = list(live.history.order_by("history_id").values_list("history_id", flat=True))
    article = "/admin/news/article"
    return [
        "/admin/",
        "/admin/news/",
        f"{article}/",
        f"{article}/?review=review",
        f"{article}/?status__exact=draft",
        f"{article}/?q=нічого",
        f"{article}/add/",
        f"{article}/{live.pk}/change/",
        f"{article}/{draft.pk}/change/",
        f"{article}/{live.pk}/history/",
        f"{article}/{live.pk}/revisions/compare/?old={revisions[0]}&new={revisions[-1]}",
        f"{article}/{live.pk}/delete/",
        "/admin/news/category/",
        f"/admin/news/category/{rubric.pk}/change/",
        "/admin/news/tag/",
        "/admin/news/tag/add/",
        "/admin/news/author/",
        f"/admin/news/author/{items['writer'].pk}/change/",
        "/admin/news/oldslug/",
        "/admin/password_change/",
    ]


@pytest.mark.parametrize("role", [EDITOR, CHIEF, AUTHOR])
def test_every_page_an_editor_uses_reads_as_ukrainian(people, newsroom, role):
    client = logged_in(people[role])
    pages = editor_pages(newsroom) if role != AUTHOR else ["/admin/", "/admin/news/article/add/"]
    assert walk(client, pages) == {}


def test_the_messages_after_saving_and_deleting_read_as_ukrainian(people, newsroom):
    client = logged_in(people[CHIEF])
    pages = []
    saved = client.post("/admin/news/category/add/", {"name": "Культура", "position": 5})
    pages.append(saved["Location"])
    story = newsroom["live"]
    data = article_form("Жива новина", "<p>Т.</p>", _continue="1")
    response = client.post(f"/admin/news/article/{story.pk}/change/", data, follow=True)
    text = readable_text(response.content.decode())
    assert "Статтю «Жива новина» змінено." in text
    assert problems_on(text) == []
    response = client.post(f"/admin/news/article/{story.pk}/delete/", {"post": "yes"}, follow=True)
    text = readable_text(response.content.decode())
    assert "Статтю «Жива новина» видалено." in text
    assert walk(client, pages) == {}


def test_an_administrator_reads_ukrainian_too(people, newsroom):
    client = logged_in(people[ADMINISTRATOR])
    assert walk(client, ["/admin/", "/admin/auth/group/"]) == {}


def test_the_generic_phrases_put_the_model_in_the_right_case(people, newsroom):
    client = logged_in(people[CHIEF])
    listing = readable_text(client.get("/admin/news/article/").content.decode())
    for phrase in ["Виберіть статтю, щоб змінити", "Додати статтю", "За рубрикою", "За станом"]:
        assert phrase in listing
    assert "За редакційним станом" in listing and "За авторами" in listing
    add = readable_text(client.get("/admin/news/article/add/").content.decode())
    assert "Статті › Додати статтю" in add
    rubric = newsroom["rubric"]
    page = readable_text(client.get(f"/admin/news/category/{rubric.pk}/change/").content.decode())
    assert "Змінити рубрику" in page
    pins = ["/admin/news/frontpageslot/", "/admin/news/frontpageslot/add/"]
    assert walk(client, pins) == {}
    assert "Додати місце на головній" in readable_text(client.get(pins[1]).content.decode())
    assert "Виберіть стару адресу для перегляду" in readable_text(
        client.get("/admin/news/oldslug/").content.decode()
    )
