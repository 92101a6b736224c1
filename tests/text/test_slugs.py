import pytest

from shpalta.text.slugs import slugify_uk, transliterate

# Examples from the official KMU 2010 table (Cabinet of Ministers resolution No. 55, 27.01.2010).
KMU_2010 = [
    ("Алушта", "Alushta"),
    ("Андрій", "Andrii"),
    ("Борщагівка", "Borshchahivka"),
    ("Вінниця", "Vinnytsia"),
    ("Гадяч", "Hadiach"),
    ("Згорани", "Zghorany"),
    ("Ґалаґан", "Galagan"),
    ("Дон", "Don"),
    ("Рівне", "Rivne"),
    ("Єнакієве", "Yenakiieve"),
    ("Наєнко", "Naienko"),
    ("Житомир", "Zhytomyr"),
    ("Закарпаття", "Zakarpattia"),
    ("Медвин", "Medvyn"),
    ("Іршава", "Irshava"),
    ("Їжакевич", "Yizhakevych"),
    ("Кадиївка", "Kadyivka"),
    ("Йосипівка", "Yosypivka"),
    ("Стрий", "Stryi"),
    ("Олексій", "Oleksii"),
    ("Київ", "Kyiv"),
    ("Лебедин", "Lebedyn"),
    ("Миколаїв", "Mykolaiv"),
    ("Ніжин", "Nizhyn"),
    ("Одеса", "Odesa"),
    ("Полтава", "Poltava"),
    ("Ромни", "Romny"),
    ("Суми", "Sumy"),
    ("Тетерів", "Teteriv"),
    ("Ужгород", "Uzhhorod"),
    ("Фастів", "Fastiv"),
    ("Харків", "Kharkiv"),
    ("Біла Церква", "Bila Tserkva"),
    ("Чернівці", "Chernivtsi"),
    ("Шостка", "Shostka"),
    ("Гоща", "Hoshcha"),
    ("Юрій", "Yurii"),
    ("Крюківка", "Kriukivka"),
    ("Яготин", "Yahotyn"),
    ("Ічня", "Ichnia"),
    ("Розгон", "Rozghon"),
    ("Знам’янка", "Znamianka"),
    ("Короп’є", "Koropie"),
]


@pytest.mark.parametrize(("ukrainian", "latin"), KMU_2010)
def test_it_transliterates_by_kmu_2010(ukrainian, latin):
    assert transliterate(ukrainian) == latin


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc", "`", "\u2018"])
def test_every_apostrophe_variant_is_dropped(apostrophe):
    assert slugify_uk(f"Знам{apostrophe}янка") == "znamianka"


def test_the_seed_headline_gets_the_expected_slug():
    title = "Зеленський прагне вступити до НАТО до завершення президентства Байдена"
    assert slugify_uk(title).startswith("zelenskyi-prahne-vstupyty-do-nato")


def test_long_slugs_are_cut_at_a_word_boundary():
    slug = slugify_uk("Президент України Володимир Зеленський " * 10, max_length=50)
    assert len(slug) <= 50
    assert not slug.endswith("-")
    assert "prezydent-ukrainy-volodymyr-zelenskyi".startswith(slug[:20])
    assert all(
        part in {"prezydent", "ukrainy", "volodymyr", "zelenskyi"} for part in slug.split("-")
    )


def test_punctuation_and_latin_survive_as_ascii():
    assert slugify_uk("«Дикі Шершні» та miltech: 100%!") == "dyki-shershni-ta-miltech-100"


def test_text_without_letters_gives_an_empty_slug():
    assert slugify_uk("— … !") == ""


@pytest.mark.parametrize(
    ("pasted", "slug"),
    [
        ("Ки\u0301їв", "kyiv"),  # a stress mark from a dictionary
        ("Зе\u00adленський", "zelenskyi"),  # a soft hyphen from a CMS paste
        ("Зе\u200bленський", "zelenskyi"),  # a zero-width space
        ("Об\u00b4єднання", "obiednannia"),  # an acute accent typed as the apostrophe
        ("Знам\u02b9янка", "znamianka"),  # a modifier prime typed as the apostrophe
    ],
)
def test_pasted_invisible_marks_do_not_split_words(pasted, slug):
    assert slugify_uk(pasted) == slug
