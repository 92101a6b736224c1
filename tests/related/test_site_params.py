"""related.conf.params(): the site's settings in force, read on every call (a settings change
shows at once), with per-call overrides, and the same object while nothing changes."""

from django.test import override_settings

from shpalta.related.conf import params


def test_the_settings_in_force_are_read():
    with override_settings(SHPALTA_RELATED_SIZE=5, SHPALTA_RELATED_RECENCY=0.1):
        assert (params().size, params().recency) == (5, 0.1)
    with override_settings(SHPALTA_RELATED_SIZE=11):
        assert params().size == 11


def test_overrides_apply_to_one_call_only():
    with override_settings(SHPALTA_RELATED_SIZE=6):
        assert params(size=3, lemmas=False).size == 3
        assert params(size=3, lemmas=False).lemmas is False
        assert params().size == 6 and params().lemmas is True


def test_unchanged_settings_give_the_same_params():
    with override_settings(SHPALTA_RELATED_MIN_SIMILARITY=0.07):
        assert params() is params()
        assert params().min_similarity == 0.07
