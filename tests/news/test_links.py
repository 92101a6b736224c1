"""Reader links built from one reversed address per route (news.links.slug_path, route_path,
photos.pictures.url) are exactly what reverse() gives, under any URLconf and script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from shpalta.news import factories
from shpalta.news.links import route_path, slug_path
from shpalta.photos import library, pictures, renditions
from tests.photos.images import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


def _pairs(story):
    tag = story.tags.get()
    author = story.authors.get()
    return [
        (story.get_absolute_url(), reverse("news:article", args=[story.slug])),
        (story.category.get_absolute_url(), reverse("news:category", args=[story.category.slug])),
        (tag.get_absolute_url(), reverse("news:tag", args=[tag.slug])),
        (author.get_absolute_url(), reverse("news:author", args=[author.slug])),
    ]


@pytest.fixture
def story():
    return factories.article(
        "Посилання",
        category=factories.category("Рубрика"),
        tags=["Тема"],
        authors=[factories.author("Авторка")],
    )


def test_the_links_are_what_reverse_gives(story):
    for built, reversed_ in _pairs(story):
        assert built == reversed_


def test_a_urlconf_that_mounts_the_site_elsewhere_moves_the_links(story, settings):
    # read once under the usual URLconf first: the address kept must not outlive it
    assert slug_path("news:article", story.slug) == f"/novyny/{story.slug}/"
    settings.ROOT_URLCONF = "tests.prefixed_urls"
    for built, reversed_ in _pairs(story):
        assert built == reversed_ and built.startswith("/uk/")


def test_a_script_prefix_moves_the_links(story, script_prefix):
    slug_path("news:article", story.slug)
    script_prefix("/site/")
    for built, reversed_ in _pairs(story):
        assert built == reversed_ and built.startswith("/site/")


def test_a_slug_the_route_refuses_is_refused_as_before():
    with pytest.raises(NoReverseMatch):
        slug_path("news:article", "з пробілом")


def test_a_rendition_address_is_what_reverse_gives(script_prefix, settings):
    image, _ = library.add(jpeg(1600, 1200), "a.jpg", alt="Фото")

    def both():
        spec = renditions.Spec("card", image.focal_x, image.focal_y, 640, "webp")
        expected = reverse("photos:rendition", args=[image.sha256, spec.name])
        return pictures.url(image, "card", 640, "webp"), expected

    built, expected = both()
    assert built == expected and expected.startswith("/img/")
    script_prefix("/site/")
    built, expected = both()
    assert built == expected and expected.startswith("/site/img/")
    script_prefix("/")
    settings.ROOT_URLCONF = "tests.prefixed_urls"
    built, expected = both()
    assert built == expected and expected.startswith("/uk/img/")


@pytest.mark.parametrize("name", ["news:home", "feeds:rss", "search:search"])
def test_a_route_without_arguments_is_what_reverse_gives(name, settings, script_prefix):
    assert route_path(name) == reverse(name)
    script_prefix("/site/")
    assert route_path(name) == reverse(name) and route_path(name).startswith("/site/")
    script_prefix("/")
    settings.ROOT_URLCONF = "tests.prefixed_urls"
    assert route_path(name) == reverse(name) and route_path(name).startswith("/uk/")
