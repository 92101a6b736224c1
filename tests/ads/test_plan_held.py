"""The ads' plan for a site version (ads.selection.Plan) is made of tuples and frozen sets:
it hashes, so each process holds it as it is (news.fragments) instead of unpickling a copy for
every page, and it chooses exactly as the inventory does."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from shpalta.ads import selection
from shpalta.ads.models import Placement
from shpalta.ads.templatetags.ads import _plan
from shpalta.news import factories, fragments

from .conftest import banner, migrated_placements

pytestmark = pytest.mark.django_db


def test_the_plan_chooses_as_the_inventory_and_hashes():
    migrated_placements()
    war = factories.category("Війна")
    everywhere = banner("Скрізь", places=("inline", "sidebar"))
    targeted = banner("Лише війна", places=("sidebar",))
    targeted.rubrics.set([war])
    stock = selection.inventory()
    plan = selection.plan(stock)
    hash(plan)
    pages = [selection.Page(frozenset([war.pk])), selection.Page(), selection.Page(ad_free=True)]
    for key in [p.key for p in Placement.objects.filter(enabled=True)]:
        assert plan.position(key) == Placement.objects.get(key=key).position
        for page in pages:
            assert plan.chosen(key, page) == [c.pk for c in selection.eligible(stock, key, page)[1]]
    assert sorted(plan.chosen("sidebar", pages[0])) == sorted([everywhere.pk, targeted.pk])
    assert plan.position("no-such-slot") is None and plan.chosen("no-such-slot", pages[1]) == []


def test_each_request_of_a_version_gets_the_plan_held(settings):
    settings.SHPALTA_FRAGMENT_CACHE_SECONDS = 60
    cache.clear()
    migrated_placements()
    banner("Скрізь", places=("inline",))
    plans = []
    for _ in range(2):
        request = RequestFactory().get("/")
        fragments.use_version(request, "v-plan-held")
        plans.append(_plan(request))
    assert plans[0] is plans[1]
