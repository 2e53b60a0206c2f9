"""The /goal phrase: "weight 175 by mar 1", "bench 225 by june 30", "protein 160 daily" -> a GoalSpec.

Pure: no database, no clock (today is passed in). The phrase is a subject (a
body metric, a lift, a cardio exercise, a nutrient or "workouts"), a target
number with an optional unit, and an optional deadline or period. Targets come
out in storage units (lb, %, mi, g, kcal) and are checked against
fitness_core.ranges, so a goal can never hold a value the logs could not.

Deadlines look forward, unlike the logging language's dates: "by june" is the
last day of the next June that has not ended, "by mar 1" the next March 1 from
today on, and a date in the past is an error rather than a guess.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import math
import re
from dataclasses import dataclass

from fitness_core import formatting, ranges
from fitness_core.parsing.dates import calendar_date, nearest_month_day
from fitness_core.parsing.quantities import distance_miles, unit_at, weight_lbs
from fitness_core.parsing.resolver import ExerciseResolver, default_resolver
from fitness_core.parsing.tokens import CLOCK, NUM, WORD, Token, tokenize
from fitness_core.parsing.vocabulary import (
    ALL_UNITS,
    DISTANCE_UNITS,
    ENERGY_UNITS,
    GRAM_UNITS,
    METRIC_KEYWORDS,
    MONTHS,
    NUTRIENT_KEYWORDS,
    PERCENT_UNITS,
    WEIGHT_UNITS,
    compact,
)
from fitness_core.units import UnitSystem, lb_to_kg, mi_to_km


class Measure(enum.StrEnum):
    """What a goal tracks. The value is the goal's stored target_unit, so a saved goal says what it tracks."""

    BODY_WEIGHT = "lb"
    BODY_FAT = "%"
    LIFT = "lb 1RM"
    DISTANCE = "mi"
    PROTEIN = "g/day"
    CALORIES = "kcal/day"
    WORKOUTS = "workouts/week"

    @property
    def recurring(self) -> bool:
        """Daily and weekly targets start from zero each day or week and are never reached for good."""
        return self in _RECURRING


_RECURRING = frozenset({Measure.PROTEIN, Measure.CALORIES, Measure.WORKOUTS})

EXAMPLES = (
    "/goal weight 175 by mar 1",
    "/goal weight 80kg by 2027-03-01",
    "/goal bf 15 by june",
    "/goal bench 225 by june 30",
    "/goal squat 140kg by may",
    "/goal run 5k by april",
    "/goal protein 160 daily",
    "/goal calories 2200 daily",
    "/goal workouts 4 weekly",
)
TRACKABLE = "weight, body fat, a lift (bench, squat, deadlift...), a run or ride distance, protein, calories, workouts"

WORKOUTS_PER_WEEK = ranges.Range(1, 14, "workouts a week")
_RANGES = {
    Measure.BODY_WEIGHT: ranges.BODY_WEIGHT_LBS,
    Measure.BODY_FAT: ranges.BODY_FAT_PERCENTAGE,
    Measure.LIFT: ranges.EXERCISE_LOGS["weight_lbs"],
    Measure.DISTANCE: ranges.EXERCISE_LOGS["distance_miles"],
    Measure.PROTEIN: ranges.MEAL_LOGS["protein_g"],
    Measure.CALORIES: ranges.MEAL_LOGS["calories"],
    Measure.WORKOUTS: WORKOUTS_PER_WEEK,
}
_UNIT_TABLES = {
    Measure.BODY_WEIGHT: WEIGHT_UNITS,
    Measure.BODY_FAT: PERCENT_UNITS,
    Measure.LIFT: WEIGHT_UNITS,
    Measure.DISTANCE: DISTANCE_UNITS,
    Measure.PROTEIN: GRAM_UNITS,
    Measure.CALORIES: ENERGY_UNITS,
    Measure.WORKOUTS: frozenset(),
}
_UNIT_HINTS = {
    Measure.BODY_WEIGHT: "lb or kg",
    Measure.BODY_FAT: "%",
    Measure.LIFT: "lb or kg",
    Measure.DISTANCE: "km or mi",
    Measure.PROTEIN: "grams",
    Measure.CALORIES: "kcal",
    Measure.WORKOUTS: "a count",
}
_METRIC_MEASURES = {"weight_lbs": Measure.BODY_WEIGHT, "body_fat_percentage": Measure.BODY_FAT}
_NUTRIENT_MEASURES = {"protein_g": Measure.PROTEIN, "calories": Measure.CALORIES}
_WORKOUT_WORDS = frozenset(
    compact(word)
    for word in (
        "workout",
        "workouts",
        "session",
        "sessions",
        "training",
        "trainings",
        "gym",
        "gym sessions",
        "training sessions",
        "workout sessions",
        "training days",
    )
)
_LIFT_MAX_WORDS = frozenset({"1rm", "e1rm", "max", "pr", "pb", "orm"})
"""Words that may follow a lift's name ("bench 1rm 225"): every lift goal is a one-rep max anyway."""

_DAY, _WEEK = "day", "week"
_PERIODS = {
    **dict.fromkeys(("daily", "aday", "perday", "/day", "/d", "eachday", "everyday", "day"), _DAY),
    **dict.fromkeys(
        ("weekly", "aweek", "perweek", "/week", "/wk", "/w", "awk", "perwk", "eachweek", "everyweek", "week", "wk"),
        _WEEK,
    ),
}
"""What may follow the number, spaces removed, after a leading "x" or "times": "4x/week" -> "/week"."""
_PERIOD_FOR = {Measure.PROTEIN: _DAY, Measure.CALORIES: _DAY, Measure.WORKOUTS: _WEEK}
_TIMES_WORDS = frozenset({"x", "times"})

_DEADLINE = re.compile(r"\s+(?:by|before|until|till)\s+(?P<when>.+)$", re.IGNORECASE)
_IN_PERIOD = re.compile(r"\s+in\s+(?P<count>\d{1,3})\s*(?P<unit>days?|d|weeks?|wks?|w|months?|mo)$", re.IGNORECASE)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")
_MONTH_DAY = re.compile(
    rf"^(?:(?P<month1>{_MONTH_NAMES})\.?\s+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?:the\s+)?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH_NAMES})\.?)"
    r"(?:,?\s+(?P<year>\d{4}))?$",
    re.IGNORECASE,
)
_MONTH_ONLY = re.compile(
    rf"^(?:the\s+)?(?:end\s+of\s+)?(?P<month>{_MONTH_NAMES})\.?(?:,?\s+(?P<year>\d{{4}}))?$", re.IGNORECASE
)
_TITLE_DEADLINE = re.compile(r" by [A-Z][a-z]{2} \d{1,2}(?: \d{4})?$")
_YEAR_SHOWN_FROM_DAYS = 365
"""Titles leave the year out while the deadline is less than a year away ("by Mar 1")."""


class GoalPhraseError(ValueError):
    """A /goal phrase that cannot become a goal; the message says what is wrong, for the person to read."""


@dataclass(frozen=True, slots=True)
class GoalSpec:
    """A parsed goal: what is tracked, the target in storage units, the deadline and a generated title.

    `exercise` is the catalogue name of the lift or cardio exercise (None for
    the other measures); logs are matched against it.
    """

    measure: Measure
    target_value: float
    target_date: dt.date | None
    title: str
    exercise: str | None = None


@dataclass(frozen=True, slots=True)
class _Subject:
    measure: Measure
    label: str
    exercise: str | None = None


def parse_goal(
    text: str, *, today: dt.date, units: UnitSystem | str, resolver: ExerciseResolver | None = None
) -> GoalSpec:
    """Read what follows /goal; raises GoalPhraseError with a specific message for anything unusable."""
    units = UnitSystem(units)
    text = " ".join(text.split())
    if not text:
        raise GoalPhraseError("Tell me the goal: what to track, the target, and by when or how often.")
    head, deadline = _split_deadline(text, today)
    tokens = [token for token in tokenize(head, 0, len(head)) if not _is_one_rm(token)]
    subject_tokens, rest = _subject_and_rest(tokens, head)
    subject = _subject(subject_tokens, resolver or default_resolver())
    _refuse_times(rest, subject, head)
    target = _target(subject, rest, head, units)
    _check_period(rest[target.next_index :], subject, head)
    return GoalSpec(
        measure=subject.measure,
        target_value=target.stored,
        target_date=deadline,
        title=_title(subject, target, deadline, today),
        exercise=subject.exercise,
    )


def _is_one_rm(token: Token) -> bool:
    """ "1rm" reads as the number 1 with unit "rm": it names the kind of target, not the target."""
    return token.kind == NUM and token.unit == "rm"


def _split_deadline(text: str, today: dt.date) -> tuple[str, dt.date | None]:
    """Cut "by <date>" or "in 12 weeks" off the end of the phrase and resolve it."""
    found = _DEADLINE.search(text)
    if found:
        return text[: found.start()], target_date(found["when"], today)
    found = _IN_PERIOD.search(text)
    if found:
        return text[: found.start()], _after(int(found["count"]), found["unit"].lower(), today)
    return text, None


def target_date(phrase: str, today: dt.date) -> dt.date:
    """A deadline phrase -> the date: "mar 1", "june 30", "1 march 2027", "june", "end of june", "2027-03-01".

    Without a year a date means its next occurrence from today on, and a
    month alone its last day. A date before today is refused.
    """
    phrase = " ".join(phrase.lower().split())
    for pattern, resolve in ((_ISO, _iso), (_MONTH_DAY, _month_day), (_MONTH_ONLY, _month_end)):
        match = pattern.match(phrase)
        if match:
            date = resolve(match, today)
            if date < today:
                raise GoalPhraseError(f"{_long_date(date)} is in the past: a goal needs a date from today on.")
            return date
    raise GoalPhraseError(
        f"I could not read the date “{phrase}”. Try “by mar 1”, “by june”, “by 2027-03-01” or “in 12 weeks”."
    )


def _exact(year: int, month: int, day: int) -> dt.date:
    date = calendar_date(year, month, day)
    if date is None:
        raise GoalPhraseError(f"{year:04d}-{month:02d}-{day:02d} is not a date.")
    return date


def _iso(match: re.Match[str], today: dt.date) -> dt.date:
    return _exact(int(match["year"]), int(match["month"]), int(match["day"]))


def _month_day(match: re.Match[str], today: dt.date) -> dt.date:
    month = MONTHS[(match["month1"] or match["month2"]).lower()]
    day = int(match["day1"] or match["day2"])
    if match["year"]:
        return _exact(int(match["year"]), month, day)
    date = nearest_month_day(month, day, today, ahead=True)
    if date is None:
        raise GoalPhraseError(f"{calendar.month_name[month]} has no day {day}.")
    return date


def _month_end(match: re.Match[str], today: dt.date) -> dt.date:
    month = MONTHS[match["month"].lower()]
    year = int(match["year"]) if match["year"] else today.year + (month < today.month)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _after(count: int, unit: str, today: dt.date) -> dt.date:
    """ "in 12 weeks" -> today + 84 days; months keep the day of the month (clamped to the month's end)."""
    if count == 0:
        raise GoalPhraseError("“in 0 …” is today: give the goal some time, e.g. “in 12 weeks”.")
    if unit.startswith("mo"):
        months = today.month - 1 + count
        year, month = today.year + months // 12, months % 12 + 1
        return dt.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
    return today + dt.timedelta(days=count * (1 if unit.startswith("d") else 7))


def _subject_and_rest(tokens: list[Token], head: str) -> tuple[list[Token], list[Token]]:
    """(subject tokens, the number and what follows it); the subject may also follow the number ("4 workouts")."""
    number = next((k for k, token in enumerate(tokens) if token.kind == NUM), None)
    if number is None:
        raise GoalPhraseError(f"“{head}” needs a target number, e.g. /goal weight 175 by mar 1.")
    if number > 0:
        return tokens[:number], tokens[number:]
    after = tokens[1:]
    k = next((k for k, token in enumerate(after) if token.kind == WORD and token.text not in ALL_UNITS), None)
    if k is None:
        raise GoalPhraseError(f"A goal of {tokens[0].text} what? A goal can be: {TRACKABLE}.")
    return [after[k]], [tokens[0], *after[:k], *after[k + 1 :]]


def _subject(tokens: list[Token], resolver: ExerciseResolver) -> _Subject:
    typed = " ".join(token.text for token in tokens if token.kind == WORD and token.text not in _LIFT_MAX_WORDS)
    key = compact(typed)
    if key in METRIC_KEYWORDS:
        field = METRIC_KEYWORDS[key]
        return _known(_METRIC_MEASURES.get(field.columns[0]), field.label)
    if key in NUTRIENT_KEYWORDS:
        return _known(_NUTRIENT_MEASURES.get(NUTRIENT_KEYWORDS[key]), typed)
    if key in _WORKOUT_WORDS:
        return _Subject(Measure.WORKOUTS, "workouts")
    return _exercise(typed, resolver)


def _known(measure: Measure | None, label: str) -> _Subject:
    if measure is None:
        raise GoalPhraseError(f"Goals for {label} are not tracked. A goal can be: {TRACKABLE}.")
    return _Subject(measure, label)


def _exercise(typed: str, resolver: ExerciseResolver) -> _Subject:
    found = resolver.resolve(typed) if typed else None
    if found is None or not found.resolved:
        raise GoalPhraseError(f"I don't know “{typed}” as something to track. A goal can be: {TRACKABLE}.")
    if found.cardio:
        return _Subject(Measure.DISTANCE, typed, found.name)
    if found.bodyweight:
        raise GoalPhraseError(
            f"{found.name} is a bodyweight exercise; lift goals track a one-rep max in lb or kg "
            "(bench, squat, deadlift, overhead press...)."
        )
    return _Subject(Measure.LIFT, typed, found.name)


def _refuse_times(tokens: list[Token], subject: _Subject, head: str) -> None:
    """ "run 5k in 25:00": race times are not tracked yet, so say so rather than "not understood"."""
    clock = next((token for token in tokens if token.kind == CLOCK), None)
    if clock is not None and subject.measure is Measure.DISTANCE:
        raise GoalPhraseError(
            f"Time targets like “{head[clock.start : clock.end]}” are not tracked yet. "
            f"A {subject.label} goal is a distance, e.g. “/goal run 10k by june”."
        )


@dataclass(frozen=True, slots=True)
class _Target:
    stored: float  # in storage units
    typed: float  # as typed, for the title
    unit: str  # the typed (or assumed) unit, canonical: "kg", "lb", "km", "%", "g"...
    next_index: int  # after the number and its unit


def _target(subject: _Subject, rest: list[Token], head: str, units: UnitSystem) -> _Target:
    token = rest[0]
    measure = subject.measure
    unit, nxt = unit_at(rest, 0, _UNIT_TABLES[measure])
    quoted = head[token.start : rest[nxt - 1].end]
    if unit == "?":
        raise GoalPhraseError(f"{subject.label}: “{quoted}” is not in {_UNIT_HINTS[measure]}.")
    stored, shown = _stored(measure, token.value, unit, units)
    if token.value <= 0:
        raise GoalPhraseError(f"{subject.label}: a target must be more than zero.")
    if not _RANGES[measure].contains(stored):
        raise GoalPhraseError(f"{subject.label} {quoted}: a target must be within {_range_text(measure, shown)}.")
    return _Target(stored, token.value, shown, nxt)


def _stored(measure: Measure, value: float, unit: str | None, units: UnitSystem) -> tuple[float, str]:
    """(value in storage units, the canonical unit it was given in)."""
    metric = units is UnitSystem.METRIC
    if measure in (Measure.BODY_WEIGHT, Measure.LIFT):
        return weight_lbs(value, unit, units), WEIGHT_UNITS.get(unit) or ("kg" if metric else "lb")
    if measure is Measure.DISTANCE:
        # Rounded down: a logged 5k (3.107 mi) must reach a "5k" target kept to the column's 2 decimals.
        shown = DISTANCE_UNITS.get(unit) or ("km" if metric else "mi")
        return math.floor(distance_miles(value, unit, units) * 100) / 100, shown
    return value, _FIXED_UNITS[measure]


_FIXED_UNITS = {Measure.BODY_FAT: "%", Measure.PROTEIN: "g", Measure.CALORIES: "kcal", Measure.WORKOUTS: ""}


def _range_text(measure: Measure, shown: str) -> str:
    """The allowed range in the unit the target was typed in: "50-1000 lb", "22.7-453.6 kg", "0-10000 kcal"."""
    bounds = _RANGES[measure]
    if measure in _FIXED_UNITS:
        return bounds.describe()
    scale = _PER_STORAGE_UNIT[shown]
    return f"{formatting.number(bounds.low * scale)}-{formatting.number(bounds.high * scale)} {shown}"


_PER_STORAGE_UNIT = {"lb": 1.0, "kg": lb_to_kg(1), "mi": 1.0, "km": mi_to_km(1), "m": mi_to_km(1) * 1000}
"""How many of each typed unit make one storage unit (lb or mi)."""


def _check_period(tokens: list[Token], subject: _Subject, head: str) -> None:
    """ "daily", "per week", "x/week", "times a week": only where the measure has that period."""
    texts = [token.text for token in tokens]
    while texts and texts[0] in _TIMES_WORDS:
        texts = texts[1:]
    if not texts:
        return
    period = _PERIODS.get("".join(texts))
    if period is None:
        leftover = head[tokens[0].start : tokens[-1].end]
        raise GoalPhraseError(
            f"I didn't understand “{leftover}”. End a goal with a date (“by mar 1”), or “daily” / “weekly”."
        )
    wanted = _PERIOD_FOR.get(subject.measure)
    if wanted is None:
        raise GoalPhraseError(
            f"A {subject.label} goal is reached once, not every {period}: give it a date, e.g. “by june 30”."
        )
    if period != wanted:
        raise GoalPhraseError(
            f"{subject.label.capitalize()} goals are per {wanted}, e.g. “{_PERIOD_EXAMPLES[wanted]}”."
        )


_PERIOD_EXAMPLES = {_DAY: "/goal protein 160 daily", _WEEK: "/goal workouts 4 weekly"}
_TITLE_WORDS = {
    Measure.BODY_WEIGHT: "Weight",
    Measure.BODY_FAT: "Body fat",
    Measure.PROTEIN: "Protein",
    Measure.CALORIES: "Calories",
    Measure.WORKOUTS: "Workouts",
}
_TITLE_PERIODS = {Measure.PROTEIN: " daily", Measure.CALORIES: " daily", Measure.WORKOUTS: " per week"}


def _title(subject: _Subject, target: _Target, deadline: dt.date | None, today: dt.date) -> str:
    """ "Weight 175 lb by Mar 1", "Bench 1RM 100 kg by Jun 30", "Protein 160 g daily", "Workouts 4 per week"."""
    what = _TITLE_WORDS.get(subject.measure) or subject.label.capitalize()
    if subject.measure is Measure.LIFT:
        what += " 1RM"
    if subject.measure is Measure.CALORIES:
        amount = formatting.calories(target.typed)
    else:
        amount = formatting.number(target.typed) + ("" if target.unit in ("%", "") else " ") + target.unit
    title = f"{what} {amount}{_TITLE_PERIODS.get(subject.measure, '')}"
    return title + deadline_suffix(deadline, today) if deadline else title


def deadline_suffix(date: dt.date, today: dt.date) -> str:
    """ " by Mar 1", with the year once the date is a year or more away (" by Mar 1 2028")."""
    shown = f"{date:%b} {date.day}"
    if (date - today).days >= _YEAR_SHOWN_FROM_DAYS:
        shown += f" {date.year}"
    return f" by {shown}"


def retitled(title: str, new_date: dt.date, today: dt.date) -> str:
    """A generated title with its deadline replaced (or added), for when a goal is extended."""
    return _TITLE_DEADLINE.sub("", title) + deadline_suffix(new_date, today)


def _long_date(date: dt.date) -> str:
    return f"{date:%b} {date.day} {date.year}"


def amount(measure: Measure, value: float, units: UnitSystem) -> str:
    """A tracked value as the person reads it: "190.0 lb", "18%", "215.8 lb", "3.11 mi", "120 g", "3 workouts"."""
    if measure is Measure.BODY_WEIGHT:
        return formatting.weight(value, units)
    if measure is Measure.LIFT:
        return formatting.load(value, units)
    if measure is Measure.DISTANCE:
        return formatting.distance(value, units)
    if measure is Measure.WORKOUTS:
        return f"{formatting.number(value)} workout{'' if value == 1 else 's'}"
    if measure is Measure.CALORIES:
        return formatting.calories(value)
    return formatting.grams(value) if measure is Measure.PROTEIN else f"{formatting.number(value)}%"
