from shpalta.related.conf import Params
from shpalta.related.features import Source, extract, jaccard

CONFIG = Params()


def source(title, body, lead="", **fields):
    return Source(title=title, lead=lead, body_text=body, **fields)


def test_inflected_forms_are_one_feature():
    text = "Вчора Зеленський заявив. Депутати Зеленського підтримали. Виборці Зеленському вірять."
    counts = extract(source("", text), CONFIG).counts
    assert counts["зеленський"] == 3 * CONFIG.name_boost


def test_stop_words_and_numbers_are_not_features():
    counts = extract(source("", "Він сказав, що 2024 року це було б так."), CONFIG).counts
    assert "що" not in counts and "це" not in counts and "2024" not in counts
    assert "сказати" in counts or "сказав" in counts


def test_title_words_weigh_more_than_body_words_and_names_more_than_plain_words():
    counts = extract(
        source("Морози", "Морози тривають. Про морози казав Укргідрометцентр."), CONFIG
    ).counts
    assert counts["мороз"] == CONFIG.title_boost + 2
    assert counts["укргідрометцентр"] == CONFIG.name_boost


def test_tags_and_category_are_features():
    counts = extract(source("Заголовок", "Текст.", tag_ids=(4, 9), category_id=2), CONFIG).counts
    assert counts["#tag:4"] == counts["#tag:9"] == CONFIG.tag_weight
    assert counts["#cat:2"] == CONFIG.category_weight


def test_a_republished_story_has_a_near_identical_signature():
    body = (
        "Мер Києва заявив, що столиця готова взяти на себе ремонт мосту Патона, якщо держава "
        "передасть споруду місту. За його словами, міст потребує капітального ремонту вже "
        "багато років, а опори та асфальт руйнуються. Міська адміністрація підготувала проєкт "
        "реконструкції мосту і знайшла підрядників, які готові почати роботи навесні."
    )
    original = extract(source("Київ готовий ремонтувати міст Патона", body), CONFIG)
    copy = extract(
        source("Київ готовий ремонтувати міст Патона", body.replace("навесні", "влітку")), CONFIG
    )
    other = extract(source("Синоптики прогнозують морози", "Морози до двадцяти градусів."), CONFIG)
    assert jaccard(original.signature, copy.signature) >= 0.8
    assert jaccard(original.signature, other.signature) < 0.2


def test_the_fingerprint_changes_with_the_text_and_the_tags():
    base = extract(source("А", "Б"), CONFIG).fingerprint
    assert extract(source("А", "Б"), CONFIG).fingerprint == base
    assert extract(source("А", "В"), CONFIG).fingerprint != base
    assert extract(source("А", "Б", tag_ids=(1,)), CONFIG).fingerprint != base


def test_features_take_each_words_lemma_from_its_token(seed_path):
    """The lemma from the already normalised token is the one the surface form would give,
    so stored features stay as they were (seed text plus pasted stress marks and hyphens)."""
    from shpalta.text.analyser import lemma, token_lemma, tokenise

    text = seed_path.read_text(encoding="utf-8") + " Ки\u0301їв, Зе\u00adленського, Кuїв, НАТО."
    tokens = tokenise(text)
    assert len(tokens) > 300
    assert [token_lemma(t) for t in tokens] == [lemma(t.surface) for t in tokens]
