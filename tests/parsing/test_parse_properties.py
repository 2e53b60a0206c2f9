"""Properties over any input: never raises, never stores a value outside its range, render round-trips."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parse_cases import TODAY

from fitness_core import ranges
from fitness_core.parsing import (
    ExerciseEntry,
    MealEntry,
    MetricEntry,
    Span,
    WorkoutEntry,
    columns,
    parse_message,
    render,
)

_TABLES = {"metric": ranges.HEALTH_METRICS, "exercise": ranges.EXERCISE_LOGS,
           "workout": ranges.WORKOUT_SESSIONS, "meal": ranges.MEAL_LOGS}
_WORDS = ["weight", "bf", "bench", "squat", "3x5", "@", "185", "kg", "lbs", "x", "ran", "5k", "28:30", "lunch",
          "kcal", "12p", "water", "16oz", "bp", "120/80", "mood", "yesterday", "nov", "3", "rest", "90s", "rpe",
          "-- ", "note:", "at", "7pm", "hunger", "8/3", "workout", "min", ";", "\n", ",", "1e400", "9" * 30,
          "0", "-5", ".5", "day", "week", "last", "friday", "ago", "2026-02-30", "·", "🏋️", "İ", "ǅ"]
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_SPAN = Span(0, 0, "")

messages = st.one_of(
    st.text(max_size=4096),
    st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=40).map(" ".join),
)
units = st.sampled_from(["imperial", "metric"])


def _in_range(entry) -> None:
    table = _TABLES[entry.kind]
    for name, value in columns(entry).items():
        if name in table:
            assert table[name].contains(value), (entry, name, value)


@_SETTINGS
@given(text=messages, units=units)
def test_parsing_never_raises_and_every_value_is_in_range(text, units, resolver):
    result = parse_message(text, today=TODAY, units=units, resolver=resolver)
    for entry in result.entries:
        _in_range(entry)
        assert entry.date <= TODAY
    for question in result.questions:
        _in_range(question.entry)
    for finding in (*result.errors, *result.questions, *result.ignored):
        assert finding.span.text == text[finding.span.start:finding.span.end]


def _decimal(low, high, places):
    return st.integers(int(low * 10**places), int(high * 10**places)).map(lambda n: round(n / 10**places, places))


def _scale():
    return st.integers(1, 10)


def _optional(strategy):
    return st.none() | strategy


_notes = _optional(st.text(st.characters(whitelist_categories=("Ll",), max_codepoint=127), min_size=1, max_size=12)
                   .map(lambda word: f"{word} day"))


@st.composite
def metric_entries(draw):
    values = {
        "weight_lbs": _optional(_decimal(50, 1000, 1)),
        "body_fat_percentage": _optional(_decimal(2, 75, 1)),
        "waist_inches": _optional(_decimal(15, 100, 2)),
        "neck_inches": _optional(_decimal(8, 35, 2)),
        "left_arm_inches": _optional(_decimal(5, 40, 2)),
        "right_arm_inches": _optional(_decimal(5, 40, 2)),
        "resting_heart_rate": _optional(st.integers(20, 250)),
        "mood": _optional(_scale()),
        "sleep_quality": _optional(_scale()),
    }
    entry = {name: draw(strategy) for name, strategy in values.items()}
    diastolic = draw(_optional(st.integers(20, 199)))
    if diastolic is not None:
        entry["blood_pressure_diastolic"] = diastolic
        entry["blood_pressure_systolic"] = draw(st.integers(max(50, diastolic + 1), 300))
    entry["notes"] = draw(_notes)
    if not any(value is not None for value in entry.values()):
        entry["weight_lbs"] = 182.0
    return MetricEntry(date=TODAY, span=_SPAN, **entry)


_LIFTS = ["Barbell Bench Press - Medium Grip", "Barbell Squat", "Barbell Deadlift", "Pullups", "Leg Press",
          "Standing Military Press", "Romanian Deadlift", "Plank", "Barbell Curl", "zercher carry"]
_CARDIO = ["Running, Treadmill", "Rowing, Stationary", "Bicycling", "Elliptical Trainer"]


@st.composite
def exercise_entries(draw):
    options = {"rpe": draw(_optional(_scale())), "form_quality": draw(_optional(_scale())),
               "rest_seconds": draw(_optional(st.integers(0, 3600))), "notes": draw(_notes)}
    if draw(st.booleans()):
        name = draw(st.sampled_from(_CARDIO))
        distance = draw(_optional(_decimal(0.001, 250, 3)))
        duration = draw(st.integers(1, 86400) if distance is None else _optional(st.integers(1, 86400)))
        return ExerciseEntry(date=TODAY, span=_SPAN, exercise_name=name, resolved=True,
                             distance_miles=distance, duration_seconds=duration, **options)
    name = draw(st.sampled_from(_LIFTS))
    timed = draw(st.booleans())
    return ExerciseEntry(
        date=TODAY, span=_SPAN, exercise_name=name, resolved=name != "zercher carry",
        sets=draw(st.integers(1, 100)),
        reps=None if timed else draw(st.integers(1, 1000)),
        duration_seconds=draw(st.integers(1, 3600)) if timed else None,
        weight_lbs=draw(_optional(_decimal(0.1, 2000, 1))), **options)


@st.composite
def workout_entries(draw):
    entry = {
        "duration_minutes": draw(_optional(st.integers(1, 1440))),
        "session_type": draw(_optional(st.sampled_from(["strength", "cardio", "flexibility", "martial_arts",
                                                         "sports", "recovery", "mixed"]))),
        "intensity": draw(_optional(_scale())), "fatigue": draw(_optional(_scale())),
        "soreness": draw(_optional(_scale())), "week_number": draw(_optional(st.integers(1, 520))),
        "day_number": draw(_optional(st.integers(1, 366))),
        "program_phase": draw(_optional(st.sampled_from(["hypertrophy", "strength", "peak", "deload"]))),
        "notes": draw(_notes),
    }
    if all(value is None for name, value in entry.items() if name != "notes"):
        entry["duration_minutes"] = 60
    return WorkoutEntry(date=TODAY, span=_SPAN, **entry)


@st.composite
def meal_entries(draw):
    grams = {name: draw(_optional(_decimal(0, high, 1))) for name, high in
             (("protein_g", 1000), ("carbs_g", 1500), ("fat_g", 1000), ("fiber_g", 300), ("sugar_g", 1000))}
    calories = draw(_optional(st.integers(0, 10000)))
    if calories is None and None not in (grams["protein_g"], grams["carbs_g"], grams["fat_g"]):
        calories = round(4 * grams["protein_g"] + 4 * grams["carbs_g"] + 9 * grams["fat_g"])
        if calories > 10000:
            grams["fat_g"] = None
            calories = None
    entry = {
        "meal_type": draw(st.sampled_from(["breakfast", "lunch", "dinner", "snack", "pre_workout", "post_workout",
                                           "other"])),
        "description": draw(_optional(st.sampled_from(["oatmeal", "chicken salad", "rice", "greek yogurt"]))),
        "calories": calories, **grams,
        "sodium_mg": draw(_optional(_decimal(0, 50000, 1))), "water_oz": draw(_optional(_decimal(0, 400, 1))),
        "meal_time": draw(_optional(st.times().map(lambda t: dt.time(t.hour, t.minute)))),
        "adherence_to_plan": draw(_optional(st.sampled_from(["on_plan", "mostly_on_plan", "off_plan"]))),
        "hunger_before": draw(_optional(_scale())), "hunger_after": draw(_optional(_scale())),
        "satisfaction": draw(_optional(_scale())), "notes": draw(_notes),
    }
    if entry["description"] is None and entry["calories"] is None and entry["water_oz"] is None:
        entry["description"] = "toast"
    return MealEntry(date=TODAY, span=_SPAN, **entry)


@_SETTINGS
@given(entry=st.one_of(metric_entries(), exercise_entries(), workout_entries(), meal_entries()), units=units)
def test_rendered_entry_parses_back_to_the_same_entry(entry, units, resolver):
    text = render(entry)
    result = parse_message(text, today=entry.date, units=units, resolver=resolver)
    assert not result.errors, (text, result.errors)
    if entry.kind == "metric":  # several metric clauses: together they hold the same columns
        merged = {}
        for parsed in result.entries:
            merged |= columns(parsed)
        assert merged == columns(entry), text
    else:
        assert result.entries == (entry,), text
