"""The editors' fast-entry form in the admin: post in one step, see, edit and delete entries,
with the entry model's permissions; a stale form never drops another editor's entry."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from shpalta.live import service
from shpalta.live.models import BreakingNews, LiveCoverage, LiveEntry
from shpalta.newsroom.roles import AUTHOR, CHIEF, EDITOR
from tests.newsroom.test_admin_language import data_words, problems_on, readable_text

PREFIX = "entries"


def form_data(coverage: LiveCoverage, new_text: str = "", existing=(), delete=()) -> dict:
    """The change form as a browser sends it: coverage fields, the listed entries, one blank."""
    data = {
        "article": coverage.article_id,
        "state": coverage.state,
        "summary": coverage.summary,
        "started_at_0": coverage.started_at.strftime("%d.%m.%Y"),
        "started_at_1": coverage.started_at.strftime("%H:%M:%S"),
        "ended_at_0": "",
        "ended_at_1": "",
        f"{PREFIX}-TOTAL_FORMS": str(len(existing) + 1),
        f"{PREFIX}-INITIAL_FORMS": str(len(existing)),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for n, entry in enumerate([*existing, None]):
        fields = {
            "text": entry.text if entry else new_text,
            "link": entry.link if entry else "",
            "id": entry.pk if entry else "",
            "coverage": coverage.pk,
        }
        if entry in delete:
            fields["DELETE"] = "on"
        data |= {f"{PREFIX}-{n}-{k}": v for k, v in fields.items()}
    return data


def change_url(coverage) -> str:
    return f"/admin/live/livecoverage/{coverage.pk}/change/"


def editor(django_user_model, name: str, *codenames: str):
    user = django_user_model.objects.create_user(name, password="pass", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def coverage(story):
    return story.live_coverage


def test_an_editor_posts_an_entry_in_one_step_and_signs_it(client, django_user_model, coverage):
    user = editor(
        django_user_model,
        "olena",
        "change_livecoverage",
        "view_livecoverage",
        "add_liveentry",
        "change_liveentry",
        "view_liveentry",
    )
    client.force_login(user)
    page = client.get(change_url(coverage))
    assert page.status_code == 200 and "Головне зараз" in page.content.decode()
    response = client.post(change_url(coverage), form_data(coverage, "<p>Вибухи на сході</p>"))
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = LiveEntry.objects.get()
    assert entry.text == "<p>Вибухи на сході</p>" and entry.author == user


def test_a_stale_form_keeps_the_other_editors_entry_and_deletes_only_what_was_ticked(
    admin_client, coverage
):
    mine = service.post(coverage.article_id, "Моє оновлення")
    stale = form_data(coverage, "Оновлення редакторки А", existing=[mine], delete=[mine])
    theirs = service.post(coverage.article_id, "Оновлення редактора Б")  # after A opened it
    assert admin_client.post(change_url(coverage), stale).status_code == 302
    texts = set(LiveEntry.objects.values_list("text_plain", flat=True))
    assert texts == {"Оновлення редакторки А", theirs.text_plain}


def test_an_edit_in_the_form_is_saved_sanitised(admin_client, coverage):
    entry = service.post(coverage.article_id, "Стара версія")
    entry.text = '<p>Нова версія<img src=x onerror="alert(1)"></p>'
    assert (
        admin_client.post(change_url(coverage), form_data(coverage, existing=[entry])).status_code
        == 302
    )
    entry.refresh_from_db()
    assert "onerror" not in entry.text and entry.text_plain == "Нова версія"


def test_without_the_add_permission_the_form_offers_no_blank_entry(
    client, django_user_model, coverage
):
    user = editor(
        django_user_model, "petro", "change_livecoverage", "view_livecoverage", "view_liveentry"
    )
    client.force_login(user)
    html = client.get(change_url(coverage)).content.decode()
    assert "entries-TOTAL_FORMS" not in html or 'name="entries-0-text"' not in html
    client.post(change_url(coverage), form_data(coverage, "Не моє право"))
    assert not LiveEntry.objects.exists()


def test_an_ended_story_refuses_a_new_entry_in_the_form(admin_client, coverage):
    service.end(coverage.article_id)
    coverage.refresh_from_db()
    response = admin_client.post(change_url(coverage), form_data(coverage, "Запізно"))
    assert response.status_code == 200
    assert "Трансляцію завершено" in response.content.decode()
    assert not LiveEntry.objects.exists()


def test_the_newsrooms_editors_may_post_and_authors_may_not(client, django_user_model, coverage):
    groups = {group.name: group for group in Group.objects.all()}
    for role, allowed in ((EDITOR, True), (CHIEF, True), (AUTHOR, False)):
        user = django_user_model.objects.create_user(f"u-{len(role)}", is_staff=True)
        user.groups.add(groups[role])
        client.force_login(user)
        client.post(change_url(coverage), form_data(coverage, f"Оновлення: {role}"))
        assert LiveEntry.objects.filter(text_plain=f"Оновлення: {role}").exists() is allowed


def test_the_live_admin_pages_read_as_ukrainian(admin_client, coverage):
    service.post(coverage.article_id, "Оновлення")
    BreakingNews.objects.create(article=coverage.article, expires_at=timezone.now())
    pages = [
        "/admin/live/",
        "/admin/live/livecoverage/",
        "/admin/live/livecoverage/add/",
        change_url(coverage),
        "/admin/live/breakingnews/",
        "/admin/live/breakingnews/add/",
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert problems_on(readable_text(response.content.decode()), data_words()) == [], url
