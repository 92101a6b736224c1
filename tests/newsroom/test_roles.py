"""Role × action: every cell of the README's table, tested on the path an editor would use."""

import pytest
from django.contrib.auth.models import Group

from shpalta.news import factories
from shpalta.news.models import Article, Category, FrontPageSlot
from shpalta.newsroom import workflow
from shpalta.newsroom.roles import ADMINISTRATOR, AUTHOR, CHIEF, EDITOR
from tests.conftest import article_form

from .conftest import logged_in

pytestmark = pytest.mark.django_db
ARTICLES = "/admin/news/article/"


def own_draft(user, title="Своя чернетка"):
    article = factories.article(title, status=Article.Status.DRAFT)
    workflow.started(article, user)
    return article


def writes_a_draft(people, user):
    response = logged_in(user).post(f"{ARTICLES}add/", article_form("Нова", "<p>Текст.</p>"))
    return response.status_code == 302 and Article.objects.filter(title="Нова").exists()


def edits_own_draft(people, user):
    article = own_draft(user)
    data = article_form("Виправлено", "<p>Текст.</p>", status="draft")
    logged_in(user).post(f"{ARTICLES}{article.pk}/change/", data)
    article.refresh_from_db()
    return article.title == "Виправлено"


def sees_others_draft(people, user):
    draft = own_draft(people["other author"], "Чужа чернетка")
    listed = "Чужа чернетка" in logged_in(user).get(ARTICLES).content.decode()
    opened = logged_in(user).get(f"{ARTICLES}{draft.pk}/change/").status_code == 200
    assert listed == opened
    return listed


def edits_others_draft(people, user):
    draft = own_draft(people["other author"], "Чужа чернетка")
    data = article_form("Переписано", "<p>Текст.</p>", status="draft")
    logged_in(user).post(f"{ARTICLES}{draft.pk}/change/", data)
    draft.refresh_from_db()
    return draft.title == "Переписано"


def previews_others_draft(people, user):
    draft = own_draft(people["other author"], "Чужа чернетка")
    return logged_in(user).get(f"/peredohliad/{draft.pk}/").status_code == 200


def reads_others_history(people, user):
    draft = own_draft(people["other author"], "Чужа чернетка")
    return logged_in(user).get(f"{ARTICLES}{draft.pk}/history/").status_code == 200


def submits_for_review(people, user):
    article = own_draft(user)
    data = article_form(article.title, "<p>Текст.</p>", status="draft", workflow_action="submit")
    logged_in(user).post(f"{ARTICLES}{article.pk}/change/", data)
    return workflow.in_review().filter(pk=article.pk).exists()


def publishes_in_the_form(people, user):
    article = own_draft(user)
    logged_in(user).post(
        f"{ARTICLES}{article.pk}/change/", article_form(article.title, "<p>Т.</p>")
    )
    return Article.objects.published().filter(pk=article.pk).exists()


def schedules_in_the_form(people, user):
    article = own_draft(user)
    data = article_form(article.title, "<p>Т.</p>", published_at_0="2099-01-01")
    logged_in(user).post(f"{ARTICLES}{article.pk}/change/", data)
    return Article.objects.scheduled().filter(pk=article.pk).exists()


def publishes_by_bulk_action(people, user):
    article = own_draft(user)
    data = {"action": "publish", "_selected_action": [article.pk]}
    logged_in(user).post(ARTICLES, data)
    return Article.objects.published().filter(pk=article.pk).exists()


def unpublishes_by_bulk_action(people, user):
    article = factories.article("Жива")
    workflow.started(article, user)
    data = {"action": "unpublish", "_selected_action": [article.pk]}
    logged_in(user).post(ARTICLES, data)
    return Article.objects.drafts().filter(pk=article.pk).exists()


def edits_own_live_story(people, user):
    article = factories.article("Жива")
    workflow.started(article, user)
    logged_in(user).post(f"{ARTICLES}{article.pk}/change/", article_form("Змінено", "<p>Т.</p>"))
    article.refresh_from_db()
    return article.title == "Змінено"


def returns_with_a_comment(people, user):
    article = own_draft(people["other author"], "На перевірці")
    workflow.submit(article, people["other author"])
    data = article_form(
        article.title,
        "<p>Т.</p>",
        status="draft",
        workflow_action="return",
        return_comment="Додайте джерело.",
    )
    logged_in(user).post(f"{ARTICLES}{article.pk}/change/", data)
    return article.workflow.__class__.objects.get(article=article).state == "returned"


def adds_a_rubric(people, user):
    logged_in(user).post("/admin/news/category/add/", {"name": "Нова рубрика", "position": 1})
    return Category.objects.filter(name="Нова рубрика").exists()


def pins_the_front_page(people, user):
    story = factories.article("На головну")
    data = {"position": 0, "article": story.pk, "until_0": "", "until_1": ""}
    logged_in(user).post("/admin/news/frontpageslot/add/", data)
    return FrontPageSlot.objects.filter(article=story).exists()


def manages_accounts(people, user):
    return logged_in(user).get("/admin/auth/user/").status_code == 200


# action → (Автор, Редактор, Випусковий редактор, Адміністратор); README's roles table.
TABLE = {
    writes_a_draft: (True, True, True, True),
    edits_own_draft: (True, True, True, True),
    submits_for_review: (True, True, True, True),
    sees_others_draft: (False, True, True, True),
    edits_others_draft: (False, True, True, True),
    previews_others_draft: (False, True, True, True),
    reads_others_history: (False, True, True, True),
    edits_own_live_story: (False, True, True, True),
    publishes_in_the_form: (False, True, True, True),
    schedules_in_the_form: (False, True, True, True),
    publishes_by_bulk_action: (False, True, True, True),
    unpublishes_by_bulk_action: (False, True, True, True),
    returns_with_a_comment: (False, True, True, True),
    adds_a_rubric: (False, False, True, True),
    pins_the_front_page: (False, False, True, True),
    manages_accounts: (False, False, False, True),
}
ROLES = [AUTHOR, EDITOR, CHIEF, ADMINISTRATOR]
CELLS = [
    pytest.param(action, role, allowed, id=f"{action.__name__}-{role}")
    for action, row in TABLE.items()
    for role, allowed in zip(ROLES, row, strict=True)
]


@pytest.mark.parametrize(("action", "role", "allowed"), CELLS)
def test_each_role_may_do_exactly_what_the_table_says(people, action, role, allowed):
    assert action(people, people[role]) is allowed


def test_the_four_roles_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)
