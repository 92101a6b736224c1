"""The search form's rubric and date inputs, written without Django's widget templates, are
the markup Django's own rendering of the same bound form gives, for every kind of input."""

from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import RequestFactory, override_settings

from shpalta.news import factories, fragments
from shpalta.search.forms import SearchForm

pytestmark = pytest.mark.django_db

FIELDS = ("category", "date_from", "date_to")


@pytest.fixture
def rubrics():
    """Names that need escaping, and a rubric under another one."""
    world = factories.category("Світ")
    factories.category('«Лапки» "подвійні" & <b>теги</b>', slug="lapky")
    factories.category("Прав’я й п'ять", slug="pravia")
    factories.category("Європа", parent=world)
    return world


def cases(world) -> list[str]:
    return [
        "",
        "q=київ",
        f"category={world.slug}",
        "category=lapky",
        "category=",
        "category=nemaie",
        "category=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
        f"category=nemaie&category={world.slug}",
        f"category={world.slug}&category=nemaie",
        "date_from=2024-01-01",
        "date_from=2024-01-01&date_to=2023-06-30",
        "date_from=&date_to=",
        "date_from=+2024-01-01+",
        "date_from=bad&date_to=2024-02-30",
        "date_to=%22%3E%3Cscript%3E",
        "date_from=%27onfocus%3Dalert(1)",
        urlencode({"date_from": "2024-01-01", "category": world.slug, "q": "<b>"}),
    ]


def django_rendering(query_string: str) -> dict[str, str]:
    form = SearchForm(QueryDict(query_string))
    return {name: str(form[name]) for name in FIELDS}


def test_every_case_renders_as_django_does(rubrics):
    for query_string in cases(rubrics):
        form = SearchForm(QueryDict(query_string))
        form.values()  # the page asks for the values first
        assert form.filter_widgets() == django_rendering(query_string), query_string


def test_a_valid_rubric_is_selected_and_hostile_names_stay_escaped(rubrics):
    html = SearchForm(QueryDict("category=lapky")).filter_widgets()["category"]
    assert '<option value="lapky" selected>' in html
    assert "&lt;b&gt;теги&lt;/b&gt;" in html and "<b>" not in html
    assert "&quot;подвійні&quot;" in html
    assert "Прав’я й п&#x27;ять" in html
    assert html.count(" selected") == 1


@override_settings(SHPALTA_FRAGMENT_CACHE_SECONDS=3600)
def test_the_rubrics_kept_per_content_version_render_as_django_does(rubrics):
    request = RequestFactory().get("/search/")
    fragments.use_version(request, "v1")
    for query_string in cases(rubrics):
        form = SearchForm(QueryDict(query_string))
        assert form.filter_widgets(request) == django_rendering(query_string), query_string
    factories.category("Нова рубрика", slug="nova")
    stale = SearchForm(QueryDict("")).filter_widgets(request)["category"]
    assert "nova" not in stale  # the same version: the list kept for it
    fragments.use_version(request, "v2")  # a rubric saved moves the version
    fresh = SearchForm(QueryDict("")).filter_widgets(request)["category"]
    assert fresh == django_rendering("")["category"] and "nova" in fresh


def test_the_page_shows_the_inputs_as_django_renders_them(client, rubrics):
    query_string = f"q=%3Cscript%3E%22&category={rubrics.slug}&date_from=bad&date_to=2024-05-01"
    html = client.get(f"/search/?{query_string}").content.decode()
    for widget in django_rendering(query_string).values():
        assert widget in html
    assert "<script>" not in html
