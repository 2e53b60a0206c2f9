"""The pure parts of the reports service: page cutting and the names of histories."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fitness_core.services.reports import HistoryKind, history_kind, paginate


def test_pages_hold_at_most_per_page_items():
    pages = paginate(list(range(25)), lambda _: 1, per_page=10, budget=1000)
    assert [len(page) for page in pages] == [10, 10, 5]


def test_long_items_make_shorter_pages():
    pages = paginate(list(range(10)), lambda _: 400, per_page=10, budget=1000)
    assert [len(page) for page in pages] == [2] * 5


def test_an_item_over_the_budget_gets_a_page_of_its_own_and_is_kept_whole():
    sizes = {"a": 10, "huge": 5000, "b": 10}
    assert paginate(list(sizes), sizes.get, per_page=10, budget=100) == [("a",), ("huge",), ("b",)]


def test_nothing_makes_no_pages():
    assert paginate([], len, per_page=10, budget=100) == []


@given(st.lists(st.integers(min_value=0, max_value=500)), st.integers(1, 12), st.integers(1, 2000))
def test_every_item_is_on_exactly_one_page_in_order_within_limits(sizes, per_page, budget):
    pages = paginate(sizes, lambda size: size, per_page=per_page, budget=budget)
    assert [item for page in pages for item in page] == sizes
    for page in pages:
        assert 1 <= len(page) <= per_page
        assert sum(page) <= budget or len(page) == 1


def test_history_kinds_by_name_and_common_synonyms():
    assert history_kind("Weight") is HistoryKind.WEIGHT
    assert history_kind(" workout ") is HistoryKind.WORKOUTS
    assert history_kind("food") is HistoryKind.MEALS
    assert history_kind("steps") is None
