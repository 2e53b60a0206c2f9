"""Behaviour the golden table does not show well: purity, units, questions, dates, serialisation."""

from __future__ import annotations

import datetime as dt

import pytest
from parse_cases import TODAY

from fitness_core.formatting import pace
from fitness_core.parsing import ExerciseEntry, MetricEntry, columns, parse_message, render, result_to_dict
from fitness_core.units import UnitSystem


def test_parsing_is_deterministic_and_relative_to_the_given_today(resolver):
    text = "yesterday weight 182"
    first = parse_message(text, today=TODAY, resolver=resolver)
    assert first == parse_message(text, today=TODAY, resolver=resolver)
    later = parse_message(text, today=dt.date(2030, 1, 1), resolver=resolver)
    assert later.date == dt.date(2029, 12, 31)


def test_unit_setting_applies_only_to_bare_numbers(resolver):
    def weight(text, units):
        return parse_message(text, today=TODAY, units=units, resolver=resolver).entries[0].weight_lbs

    assert weight("weight 100", UnitSystem.METRIC) == 220.5
    assert weight("weight 100", UnitSystem.IMPERIAL) == 100.0
    assert weight("weight 100 lb", UnitSystem.METRIC) == 100.0
    assert weight("weight 100 kg", "imperial") == 220.5


def test_a_bare_number_question_carries_the_entry_to_log(resolver):
    result = parse_message("182", today=TODAY, resolver=resolver)
    assert not result.entries and not result.errors
    (question,) = result.questions
    assert question.text == "Log weight 182 lb?"
    assert isinstance(question.entry, MetricEntry) and question.entry.weight_lbs == 182.0


def test_nothing_to_log_differs_from_an_error(resolver):
    title = parse_message("Push day!", today=TODAY, resolver=resolver)
    nonsense = parse_message("blah blah", today=TODAY, resolver=resolver)
    assert title.nothing_to_log and not title.can_save
    assert not nonsense.nothing_to_log and nonsense.errors and nonsense.errors[0].examples


def test_one_bad_entry_blocks_the_whole_message(resolver):
    result = parse_message("weight 182\nbf 180", today=TODAY, resolver=resolver)
    assert [columns(e) for e in result.entries] == [{"weight_lbs": 182.0}]
    assert result.errors and not result.can_save


def test_entry_dates_follow_their_own_line(resolver):
    result = parse_message("yesterday weight 182\nweight 181", today=TODAY, resolver=resolver)
    assert [e.date for e in result.entries] == [dt.date(2026, 11, 24), dt.date(2026, 11, 24)]
    result = parse_message("weight 182\n2 days ago weight 181", today=TODAY, resolver=resolver)
    assert result.date == dt.date(2026, 11, 23)


@pytest.mark.parametrize(("phrase", "expected"), [
    ("mon", "2026-11-23"), ("last mon", "2026-11-23"), ("wed", "2026-11-25"), ("last wed", "2026-11-18"),
    ("this wed", "2026-11-25"), ("thursday", "2026-11-19"),
])
def test_weekdays_are_never_in_the_future(resolver, phrase, expected):
    assert parse_message(f"{phrase} weight 182", today=TODAY, resolver=resolver).date.isoformat() == expected


def test_spans_quote_the_original_text(resolver):
    text = "Weight 182 LBS and BENCH 3x5 @ 185"
    result = parse_message(text, today=TODAY, resolver=resolver)
    assert [e.span.text for e in result.entries] == ["Weight 182 LBS", "BENCH 3x5 @ 185"]


def test_render_and_pace():
    run = ExerciseEntry(date=TODAY, span=None, exercise_name="Running, Treadmill", resolved=True,
                        distance_miles=3.1, duration_seconds=1710)
    assert render(run) == "Running, Treadmill 3.1 mi 28:30"
    assert pace(run.duration_seconds, run.distance_miles, UnitSystem.IMPERIAL) == "9:12 /mi"
    assert pace(run.duration_seconds, run.distance_miles, UnitSystem.METRIC) == "5:43 /km"


def test_result_to_dict_shape(resolver):
    doc = result_to_dict(parse_message("lunch salad at 1pm; bf 180", today=TODAY, resolver=resolver))
    assert doc["entries"][0]["meal_time"] == "13:00"
    assert doc["errors"][0]["field"] == "body_fat_percentage"
    assert list(doc["errors"][0]) == ["span", "start", "end", "message", "field", "examples"]


def test_a_chain_with_a_single_number_is_an_error_not_a_crash():
    """Found by the property test: an "x" chain that holds one number."""
    result = parse_message('A0:0"N X/0', today=TODAY)
    assert result.errors and not result.entries


def test_a_clock_time_where_a_number_belongs_is_an_error_not_a_crash():
    """Found by fuzzing: "rpe 12:30" read a time as the rating."""
    result = parse_message("bench 3x5 rpe 12:30", today=TODAY)
    assert result.errors and not result.entries


def test_rpe_takes_half_points_and_nothing_finer():
    [entry] = parse_message("deadlift 1x5@140kg rpe 8.5", today=TODAY).entries
    assert entry.rpe == 8.5
    result = parse_message("deadlift 1x5@140kg rpe 8.3", today=TODAY)
    assert not result.entries and "steps of 0.5" in result.errors[0].message


def test_water_in_us_measures():
    for text, oz in (("water 2 cups", 16.0), ("water 0.5 gal", 64.0), ("water 2 pints", 32.0), ("water 1 quart", 32.0)):
        [entry] = parse_message(text, today=TODAY).entries
        assert (entry.meal_type, entry.water_oz) == ("other", oz), text
