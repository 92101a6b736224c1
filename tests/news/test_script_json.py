"""JSON-LD for a <script> element: nothing in a value can close the element, and the text is
exactly what Django's json_script escapes would give (the story page's and the live story's)."""

import json

from shpalta.news.metadata import script_json

HOSTILE = {
    "headline": "«Київ» </script><script>alert(1)</script> & <!-- ще —>",
    "nested": [{"name": "Ґанок & Їжак <b>"}, "ж>"],
    "plain": "Новини без нічого",
}
# Django's json_script table, applied the slow way: the reference the faster code must equal.
DJANGO_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def test_no_value_can_close_the_script_element():
    text = script_json(HOSTILE)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "</script" not in text.lower()


def test_the_json_reads_back_unchanged():
    assert json.loads(script_json(HOSTILE)) == HOSTILE


def test_the_text_equals_the_translate_table_escapes():
    for data in (HOSTILE, {"a": "<<>>&&"}, {"empty": ""}, {"n": 1, "t": True}):
        expected = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        assert script_json(data) == expected.translate(DJANGO_ESCAPES)


def test_cyrillic_is_written_as_it_is():
    assert script_json({"t": "Україна"}) == '{"t":"Україна"}'
