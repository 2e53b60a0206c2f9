"""Entry -> the chat text that logs it again.

Replies quote what was logged in the same language people type, and the text
parses back to an equal entry (a property test holds this), so "Logged: bench
3x5 @ 185 lb" is always something the person could have typed. Values are
written in storage units with their unit, so the text means the same whatever
the reader's unit setting.
"""

from __future__ import annotations

from fitness_core.formatting import clock
from fitness_core.parsing.entries import Entry, ExerciseEntry, MealEntry, MetricEntry, WorkoutEntry
from fitness_core.parsing.vocabulary import (
    ADHERENCE_WORDS,
    MEAL_TYPE_WORDS,
    NOTE_SEPARATOR,
    RENDER_MEAL_AMOUNTS,
    RENDER_METRIC,
    RENDER_WORKOUT,
    SETS_AS_WEIGHT_ABOVE,
)


def number(value: float) -> str:
    """Shortest exact text of a stored value: 182.0 -> "182", 33.86 -> "33.86"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def render(entry: Entry) -> str:
    """The text of one entry, e.g. "bench 3x5 @ 185 lb rpe 8" or "weight 182 lb bf 18%"."""
    renderer = {MetricEntry: _metric, ExerciseEntry: _exercise, WorkoutEntry: _workout, MealEntry: _meal}
    parts = renderer[type(entry)](entry)
    text = " ".join(part for part in parts if part)
    return text + NOTE_SEPARATOR + entry.notes if entry.notes else text


def _metric(entry: MetricEntry) -> list[str]:
    parts = []
    for spec in RENDER_METRIC:
        columns, template = spec[0], spec[1]
        if isinstance(columns, str):
            value = getattr(entry, columns)
            parts.append(template.format(number(value)) if value is not None else "")
            continue
        values = [getattr(entry, column) for column in columns]
        if len(spec) == 2:  # blood pressure: both or neither (validation rejects a half)
            parts.append(template.format(*map(number, values)) if None not in values else "")
        elif values[0] is not None and values[0] == values[1]:
            parts.append(template.format(number(values[0])))
        else:
            parts.extend(side.format(number(value)) for side, value in zip(spec[2:], values, strict=True)
                         if value is not None)
    return parts


def _exercise(entry: ExerciseEntry) -> list[str]:
    parts = [entry.exercise_name]
    if entry.sets is not None and (entry.reps is not None or entry.duration_seconds or entry.distance_miles):
        amount = (str(entry.reps) if entry.reps is not None
                  else f"{entry.duration_seconds}s" if entry.duration_seconds is not None
                  else f"{number(entry.distance_miles)} mi")
        if entry.reps is not None and entry.weight_lbs is None and entry.sets > SETS_AS_WEIGHT_ABOVE:
            amount += " reps"  # "11x1" alone would read as 11 lb for 1 rep
        parts.append(f"{entry.sets}x{amount}")
        if entry.reps is not None and entry.duration_seconds is not None:
            parts.append(f"{entry.duration_seconds}s")
    else:
        if entry.distance_miles is not None:
            parts.append(f"{number(entry.distance_miles)} mi")
        if entry.duration_seconds is not None:
            parts.append(clock(entry.duration_seconds))
    if entry.weight_lbs is not None:
        parts.append(f"@ {number(entry.weight_lbs)} lb")
    for column, word in (("rpe", "rpe"), ("form_quality", "form")):
        if getattr(entry, column) is not None:
            parts.append(f"{word} {getattr(entry, column)}")
    if entry.rest_seconds is not None:
        parts.append(f"rest {entry.rest_seconds}s")
    return parts


def _workout(entry: WorkoutEntry) -> list[str]:
    parts = []
    for column, template in RENDER_WORKOUT:
        value = getattr(entry, column)
        if value is not None:
            parts.append(template.format(value.replace("_", " ") if isinstance(value, str) else number(value)))
    return parts


def _meal(entry: MealEntry) -> list[str]:
    parts = [MEAL_TYPE_WORDS[entry.meal_type], entry.description or ""]
    for column, template in RENDER_MEAL_AMOUNTS:
        value = getattr(entry, column)
        if value is not None:
            parts.append(template.format(number(value)))
    if entry.adherence_to_plan is not None:
        parts.append(ADHERENCE_WORDS[entry.adherence_to_plan])
    if entry.hunger_before is not None:
        parts.append(f"hunger {entry.hunger_before}" + (f"/{entry.hunger_after}" if entry.hunger_after else ""))
    elif entry.hunger_after is not None:
        parts.append(f"hunger after {entry.hunger_after}")
    if entry.meal_time is not None:
        hour = entry.meal_time.hour % 12 or 12
        parts.append(f"at {hour}:{entry.meal_time.minute:02d}{'pm' if entry.meal_time.hour >= 12 else 'am'}")
    if parts[0] == "meal" and entry.water_oz is not None and len([p for p in parts if p]) == 2:
        parts = parts[1:]  # plain water: "water 16 oz"
    return parts
