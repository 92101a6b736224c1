"""Near-duplicate detection: the same story from two outlets is one story, however it is typed."""

import pytest

from shpalta.importers.dedupe import THRESHOLD, NearDuplicates, minhash
from shpalta.importers.items import Item

STORY = (
    "Пʼятого травня мешканці Кам'янця обʼєднали зусилля: сімʼї, підприємці та волонтери "
    "зібрали пʼятсот тисяч гривень на відновлення памʼятки, пошкодженої вночі. Мер подякував "
    "усім, хто долучився, і пообіцяв звітувати про кожну гривню до кінця мʼясоїда."
)
VARIANTS = {
    "apostrophe ' instead of ʼ": STORY.replace("ʼ", "'"),
    "apostrophe ’ instead of ʼ": STORY.replace("ʼ", "’"),
    "Latin look-alike letters": STORY.replace("о", "o").replace("а", "a").replace("і", "i"),
}


def item(text: str, key: str) -> Item:
    return Item(source="feed", import_source="feed", import_id=key, title="Збір", text=text)


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_spelling_variants_of_one_story_hash_alike(variant):
    assert minhash(STORY).jaccard(minhash(variant)) >= THRESHOLD


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_the_same_story_with_another_apostrophe_is_a_duplicate(variant):
    seen = NearDuplicates()
    seen.remember(item(STORY, "one"), None)
    assert seen.duplicate_of(item(variant, "two")).startswith("near-duplicate of «Збір»")


@pytest.mark.django_db
def test_another_story_is_not_a_duplicate():
    seen = NearDuplicates()
    seen.remember(item(STORY, "one"), None)
    other = (
        "У Львові відкрили нову бібліотеку для дітей: три поверхи книжок, майстерня коміксів "
        "і читальна зала з видом на старе місто, куди щодня приходитимуть школярі з околиць."
    )
    assert seen.duplicate_of(item(other, "two")) is None
