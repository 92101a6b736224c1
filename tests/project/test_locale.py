"""The Ukrainian catalogue: plural forms as Ukrainian has them, shipped compiled and up to date."""

import ast
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation.template import templatize

import shpalta
from shpalta.news.models import Article

PACKAGE = Path(shpalta.__file__).parent
MESSAGES = PACKAGE / "locale" / "uk" / "LC_MESSAGES"
COMPILE = ".venv/bin/pybabel compile -d src/shpalta/locale -D django"
PLURAL_CALL = re.compile(r"ngettext\((u'(?:[^'\\]|\\.)*'), (u'(?:[^'\\]|\\.)*'), count\)")


def catalogue():
    with (MESSAGES / "django.po").open("rb") as po:
        return read_po(po)


def test_the_site_speaks_ukrainian_from_the_shipped_catalogue():
    assert [code for code, _ in settings.LANGUAGES] == [settings.LANGUAGE_CODE] == ["uk"]
    assert [Path(path) for path in settings.LOCALE_PATHS] == [PACKAGE / "locale"]
    assert (MESSAGES / "django.mo").is_file()


def search_page(count: int) -> str:
    item = SimpleNamespace(article=Article(slug="vybory", title="Вибори"), title="Вибори")
    result = SimpleNamespace(count=count, count_is_exact=True, results=[item], suggestion="")
    return render_to_string("search/results.html", {"query": "вибори", "result": result})


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "Знайдено 1 статтю"),
        (2, "Знайдено 2 статті"),
        (5, "Знайдено 5 статей"),
        (11, "Знайдено 11 статей"),
        (14, "Знайдено 14 статей"),
        (21, "Знайдено 21 статтю"),
        (22, "Знайдено 22 статті"),
        (111, "Знайдено 111 статей"),
    ],
)
def test_the_search_count_takes_the_ukrainian_plural_form(count, words):
    assert words in search_page(count)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "Зачекайте 1 секунду й спробуйте"),
        (3, "Зачекайте 3 секунди й спробуйте"),
        (12, "Зачекайте 12 секунд і спробуйте"),
        (21, "Зачекайте 21 секунду й спробуйте"),
        (45, "Зачекайте 45 секунд і спробуйте"),
    ],
)
def test_the_rate_limit_page_takes_the_ukrainian_plural_form(seconds, words):
    assert words in render_to_string("search/rate_limited.html", {"retry_after": seconds})


def test_every_plural_message_in_the_templates_has_its_three_forms():
    """Without an entry gettext falls back to the English rule: "2 статей" on a reader's page."""
    translated = {message.id: message.string for message in catalogue() if message.pluralizable}
    used = {
        (template.name, tuple(ast.literal_eval(text) for text in call))
        for template in PACKAGE.glob("**/templates/**/*.html")
        for call in PLURAL_CALL.findall(templatize(template.read_text()))
    }
    assert {name for name, _ in used} >= {"results.html", "rate_limited.html"}
    forms = {msgid: translated.get(msgid, ()) for _, msgid in used}
    missing = [msgid for msgid, found in forms.items() if len(found) != 3 or not all(found)]
    assert not missing


def test_the_shipped_mo_is_the_compiled_po():
    """A fresh clone needs no GNU gettext: the .mo is committed, so it must match the .po."""
    compiled = io.BytesIO()
    write_mo(compiled, catalogue())
    shipped = (MESSAGES / "django.mo").read_bytes()
    assert shipped == compiled.getvalue(), f"django.mo is out of date; run: {COMPILE}"


def python_plural_msgids() -> set[tuple[str, tuple[str, str]]]:
    """(module, (singular, plural)) of every ngettext call with literal strings in the code."""
    found = set()
    for module in PACKAGE.glob("**/*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ngettext":
                texts = [arg.value for arg in node.args[:2] if isinstance(arg, ast.Constant)]
                if len(texts) == 2:
                    found.add((module.name, tuple(texts)))
    return found


def test_every_plural_message_in_the_code_has_its_three_forms():
    """The admin's action messages too: "Опубліковано 3 статей" otherwise."""
    translated = {message.id: message.string for message in catalogue() if message.pluralizable}
    used = python_plural_msgids()
    assert {name for name, _ in used} >= {"admin.py"}
    forms = {msgid: translated.get(msgid, ()) for _, msgid in used}
    missing = [msgid for msgid, found in forms.items() if len(found) != 3 or not all(found)]
    assert not missing
