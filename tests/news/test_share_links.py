"""The share buttons (news/_share.html) carry the story's address and title, encoded once by
`{% share_links %}`: the same markup the filter chains wrote, hostile titles included."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from shpalta.news import factories

pytestmark = pytest.mark.django_db

# The block as it was written with filters: the reference for the encoded values.
WITH_FILTERS = Template(
    "{% with url=SITE_URL|add:article.get_absolute_url %}"
    "{{ url|urlencode:'' }}|{{ article.title|urlencode:'' }}|"
    "{{ article.title|add:' '|add:url|urlencode:'' }}|{{ url }}|{{ article.title }}"
    "{% endwith %}"
)
ONCE = Template(
    "{% load share %}{% share_links article as share %}"
    "{{ share.url_q }}|{{ share.title_q }}|{{ share.text_q }}|{{ share.url }}|{{ article.title }}"
)
TITLES = [
    "Звичайна новина",
    'Лапки "такі" і «такі» & <b>теги</b> </script>',
    "Знаки: ?&=#%+/ і пробіли  подвійні",
    "Апостроф: м’ята, п'ять",
]


@pytest.mark.parametrize("title", TITLES)
def test_the_values_equal_the_filter_chains(settings, title):
    story = factories.article(title)
    context = {"article": story, "SITE_URL": settings.SITE_URL}
    assert ONCE.render(Context(context)) == WITH_FILTERS.render(Context(context))


def test_the_block_links_to_the_story_and_escapes_its_title(settings):
    story = factories.article('Заголовок & "лапки" <i>')
    html = render_to_string("news/_share.html", {"article": story})
    url = settings.SITE_URL + story.get_absolute_url()
    assert f'data-copy-url="{url}"' in html
    assert 'data-share-title="Заголовок &amp; &quot;лапки&quot; &lt;i&gt;"' in html
    assert "https://t.me/share/url?url=" in html and "%D0%97%D0%B0%D0%B3" in html
    assert "<i>" not in html
