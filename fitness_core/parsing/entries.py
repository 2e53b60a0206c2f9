"""What a parse produces: entries to log, errors to fix, questions to ask, text to ignore.

Entry fields are named after the database columns and hold storage units, so
the bot writes them without translation. Each entry keeps the span of text it
came from (for quoting in replies); the span does not take part in equality,
so the same log typed two ways compares equal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Span:
    """Offsets into the original message, and the text between them."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class MetricEntry:
    """Columns of health_metrics (one row per person per day; the bot merges entries of a day)."""

    kind: ClassVar[str] = "metric"
    date: dt.date
    span: Span = field(compare=False)
    weight_lbs: float | None = None
    body_fat_percentage: float | None = None
    muscle_mass_lbs: float | None = None
    bmi: float | None = None
    waist_inches: float | None = None
    chest_inches: float | None = None
    hips_inches: float | None = None
    neck_inches: float | None = None
    left_arm_inches: float | None = None
    right_arm_inches: float | None = None
    left_thigh_inches: float | None = None
    right_thigh_inches: float | None = None
    left_calf_inches: float | None = None
    right_calf_inches: float | None = None
    resting_heart_rate: int | None = None
    blood_pressure_systolic: int | None = None
    blood_pressure_diastolic: int | None = None
    energy_level: int | None = None
    mood: int | None = None
    sleep_quality: int | None = None
    stress_level: int | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class ExerciseEntry:
    """Columns of exercise_logs; `resolved` says whether exercise_name is an ExerciseDefinition name."""

    kind: ClassVar[str] = "exercise"
    date: dt.date
    span: Span = field(compare=False)
    exercise_name: str = ""
    resolved: bool = False
    sets: int | None = None
    reps: int | None = None
    weight_lbs: float | None = None
    duration_seconds: int | None = None
    distance_miles: float | None = None
    rest_seconds: int | None = None
    form_quality: int | None = None
    rpe: float | None = None  # half points are common (RPE 8.5)
    order_index: int = 0
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class WorkoutEntry:
    """Columns of workout_sessions set by session-level words ("workout 60 min intensity 8")."""

    kind: ClassVar[str] = "workout"
    date: dt.date
    span: Span = field(compare=False)
    duration_minutes: int | None = None
    session_type: str | None = None
    program_phase: str | None = None
    week_number: int | None = None
    day_number: int | None = None
    intensity: int | None = None
    fatigue: int | None = None
    soreness: int | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class MealEntry:
    """Columns of meal_logs; plain water is a meal of type "other" with only water_oz."""

    kind: ClassVar[str] = "meal"
    date: dt.date
    span: Span = field(compare=False)
    meal_type: str = "other"
    description: str | None = None
    calories: int | None = None
    protein_g: float | None = None
    carbs_g: float | None = None
    fat_g: float | None = None
    fiber_g: float | None = None
    sugar_g: float | None = None
    sodium_mg: float | None = None
    water_oz: float | None = None
    meal_time: dt.time | None = None
    adherence_to_plan: str | None = None
    hunger_before: int | None = None
    hunger_after: int | None = None
    satisfaction: int | None = None
    notes: str | None = None


Entry = MetricEntry | ExerciseEntry | WorkoutEntry | MealEntry
ENTRY_CLASSES: dict[str, type[Entry]] = {cls.kind: cls for cls in (MetricEntry, ExerciseEntry, WorkoutEntry, MealEntry)}


def columns(entry: Entry) -> dict[str, object]:
    """The entry's column values that were given, in declaration order."""
    return {f.name: getattr(entry, f.name) for f in fields(entry)
            if f.name not in ("date", "span") and getattr(entry, f.name) is not None}


@dataclass(frozen=True, slots=True)
class ParseError:
    """Something to fix: where, what is wrong, and for text not understood the closest examples."""

    span: Span
    message: str
    field: str | None = None
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Question:
    """A confirmation to ask; `entry` is what a "Yes" logs, without parsing again."""

    span: Span
    text: str
    entry: Entry


@dataclass(frozen=True, slots=True)
class Ignored:
    """Text that is not a log at all: reason is "greeting", "title", "note" or "empty" (only symbols)."""

    span: Span
    reason: str


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Everything one message means. Save `entries` only when `errors` is empty: a message is all or nothing."""

    text: str
    date: dt.date
    entries: tuple[Entry, ...] = ()
    errors: tuple[ParseError, ...] = ()
    questions: tuple[Question, ...] = ()
    ignored: tuple[Ignored, ...] = ()

    @property
    def nothing_to_log(self) -> bool:
        """A greeting, a title, a note or an empty message: not an error, and nothing to save or ask."""
        return not (self.entries or self.errors or self.questions)

    @property
    def can_save(self) -> bool:
        return bool(self.entries) and not self.errors
