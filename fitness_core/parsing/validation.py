"""Drafts -> frozen entries, every value checked against fitness_core.ranges.

The ranges module is the one the database CHECK constraints are built from,
so nothing this accepts can be refused by the database, and nothing the
database would refuse reaches it. An entry with any bad value is dropped and
each bad value becomes an error naming the column, the value and the range.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import fields

from fitness_core import ranges
from fitness_core.parsing.drafts import Context, Draft, Given
from fitness_core.parsing.entries import ENTRY_CLASSES, Entry
from fitness_core.parsing.vocabulary import KCAL_PER_GRAM

_RANGES = {
    "metric": ranges.HEALTH_METRICS,
    "exercise": ranges.EXERCISE_LOGS,
    "workout": ranges.WORKOUT_SESSIONS,
    "meal": ranges.MEAL_LOGS,
}
_INTEGER_COLUMNS = frozenset(
    f.name for cls in ENTRY_CLASSES.values() for f in fields(cls) if str(f.type).startswith("int")
)
"""Columns typed int on the entries: a typed fraction there is an error, except for the rounded ones."""
_ROUNDED_COLUMNS = frozenset({"duration_seconds", "rest_seconds", "duration_minutes", "calories"})
"""Integer columns where rounding loses nothing anyone meant (whole seconds, minutes, kcal)."""
_STEPS = {"rpe": 0.5}
"""Columns read on a scale with a fixed step: RPE comes in half points."""


def build_entries(ctx: Context, message_date: dt.date) -> list[Entry]:
    entries: list[Entry] = []
    order_index = 0
    for draft in ctx.drafts:
        date = draft.date or message_date
        if draft.kind != "exercise":
            entry = build_entry(ctx, draft, date)
            if entry is not None:
                entries.append(entry)
            continue
        for row in draft.rows:
            values = {**draft.values, **row, "order_index": Given(order_index, draft.start, draft.end)}
            order_index += 1
            entry = _entry(ctx, draft, values, date)
            if entry is not None:
                entries.append(entry)
    _check_conflicts(ctx, entries)
    return entries


def build_entry(ctx: Context, draft: Draft, date: dt.date) -> Entry | None:
    """The entry of a non-exercise draft, or None (with errors recorded) if a value is out of range."""
    values = dict(draft.values)
    if draft.kind == "meal" and "calories" not in values and all(column in values for column in KCAL_PER_GRAM):
        kcal = sum(values[column].value * factor for column, factor in KCAL_PER_GRAM.items())
        values["calories"] = Given(kcal, draft.start, draft.end)
    return _entry(ctx, draft, values, date)


def _entry(ctx: Context, draft: Draft, values: dict[str, Given], date: dt.date) -> Entry | None:
    table = _RANGES[draft.kind]
    clean: dict[str, object] = {}
    valid = True
    for column, given in values.items():
        value = given.value
        if column in table or column in _INTEGER_COLUMNS:
            value = _checked(ctx, column, given, table.get(column))
            valid = valid and value is not None
        clean[column] = value
    valid = valid and _pressure_ok(ctx, values)
    if not valid:
        return None
    if draft.kind == "exercise":
        clean["resolved"] = draft.resolution.resolved
    return ENTRY_CLASSES[draft.kind](date=date, span=ctx.span(draft.start, draft.end), **clean)


def _checked(ctx: Context, column: str, given: Given, allowed: ranges.Range | None):
    value = given.value
    quoted = ctx.text[given.start:given.end]
    if not isinstance(value, int | float) or not math.isfinite(value):  # e.g. a clock time where a number goes
        ctx.error(given.start, given.end, f"{quoted!r}: {column} is not a number we can store", column)
        return None
    if column in _INTEGER_COLUMNS:
        if column in _ROUNDED_COLUMNS:
            value = round(value)
        elif value != int(value):
            ctx.error(given.start, given.end, f"{quoted!r}: {column} must be a whole number", column)
            return None
        value = int(value)
    step = _STEPS.get(column)
    if step is not None and value % step:
        ctx.error(given.start, given.end, f"{quoted!r}: {column} goes in steps of {step:g} (e.g. 8 or 8.5)", column)
        return None
    if allowed is not None and not allowed.contains(value):
        ctx.error(given.start, given.end,
                  f"{quoted!r}: {column} {value:g} is out of range; it must be {allowed.describe()}", column)
        return None
    return value


def _pressure_ok(ctx: Context, values: dict[str, Given]) -> bool:
    systolic, diastolic = values.get("blood_pressure_systolic"), values.get("blood_pressure_diastolic")
    if systolic is None or diastolic is None or systolic.value > diastolic.value:
        return True
    ctx.error(systolic.start, diastolic.end, f"{ctx.text[systolic.start:diastolic.end]!r}: the systolic "
                                             "(first) number must be higher than the diastolic", "blood_pressure_systolic")
    return False


def _check_conflicts(ctx: Context, entries: list[Entry]) -> None:
    """One health-metric row and one session per day: the same column twice with two values cannot both be saved."""
    seen: dict[tuple[str, dt.date, str], object] = {}
    for entry in entries:
        if entry.kind not in ("metric", "workout"):
            continue
        for f in fields(entry):
            value = getattr(entry, f.name)
            if f.name in ("date", "span") or value is None:
                continue
            key = (entry.kind, entry.date, f.name)
            if seen.setdefault(key, value) != value:
                ctx.error(entry.span.start, entry.span.end,
                          f"{entry.span.text!r}: {f.name} is given twice with different values", f.name)
