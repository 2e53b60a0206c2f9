"""Reading back what a person logged: one day, the last seven days, and paged history.

The caller's session already acts as the person (row-level security), and every
query still filters on their id, because a coach's session can also read their
clients' rows. Nothing here commits or formats: reports are small frozen
dataclasses in storage units (pounds, inches, miles, ounces) that the chat
renders in the person's units. Each report costs a fixed number of SQL
statements however much was logged; sums over many rows are done in SQL.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, Float, distinct, func, or_, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from fitness_core.models import ExerciseLog, HealthMetric, MealLog, MealType, SessionType, WorkoutSession
from fitness_core.services.accounts import Member

WEEK_DAYS = 7
PER_PAGE = 10

# Body measurements and wellness ratings in reading order: the word people read -> the column.
LENGTHS = {
    column.removesuffix("_inches").replace("_", " "): column
    for column in (
        "waist_inches",
        "chest_inches",
        "hips_inches",
        "neck_inches",
        "left_arm_inches",
        "right_arm_inches",
        "left_thigh_inches",
        "right_thigh_inches",
        "left_calf_inches",
        "right_calf_inches",
    )
}
WELLNESS = {"energy": "energy_level", "mood": "mood", "sleep": "sleep_quality", "stress": "stress_level"}


class HistoryKind(enum.StrEnum):
    WEIGHT = "weight"
    WORKOUTS = "workouts"
    MEALS = "meals"


# Other words people use for the same lists.
_KIND_WORDS = {
    "weights": HistoryKind.WEIGHT,
    "weigh-ins": HistoryKind.WEIGHT,
    "workout": HistoryKind.WORKOUTS,
    "training": HistoryKind.WORKOUTS,
    "meal": HistoryKind.MEALS,
    "food": HistoryKind.MEALS,
    "nutrition": HistoryKind.MEALS,
}


def history_kind(word: str) -> HistoryKind | None:
    """The history a word asks for (case and common synonyms forgiven); None when it names none."""
    word = word.strip().lower()
    try:
        return HistoryKind(word)
    except ValueError:
        return _KIND_WORDS.get(word)


@dataclass(frozen=True)
class Metrics:
    """A day's body metrics; only the values that were set appear in lengths and wellness."""

    weight_lbs: float | None
    body_fat_percentage: float | None
    muscle_mass_lbs: float | None
    bmi: float | None
    lengths: tuple[tuple[str, float], ...]
    resting_heart_rate: int | None
    blood_pressure: str | None
    wellness: tuple[tuple[str, int], ...]
    notes: str | None

    @classmethod
    def of(cls, row: HealthMetric) -> Metrics:
        return cls(
            weight_lbs=row.weight_lbs,
            body_fat_percentage=row.body_fat_percentage,
            muscle_mass_lbs=row.muscle_mass_lbs,
            bmi=row.bmi,
            lengths=_set_values(row, LENGTHS),
            resting_heart_rate=row.resting_heart_rate,
            blood_pressure=row.blood_pressure_formatted,
            wellness=_set_values(row, WELLNESS),
            notes=row.notes,
        )


def _set_values(row: HealthMetric, columns: dict[str, str]) -> tuple[tuple[str, float], ...]:
    return tuple((name, getattr(row, column)) for name, column in columns.items() if getattr(row, column) is not None)


@dataclass(frozen=True)
class Exercise:
    name: str
    sets: int | None
    reps: int | None
    weight_lbs: float | None
    duration_seconds: int | None
    distance_miles: float | None

    @property
    def volume_lbs(self) -> float:
        """sets x reps x load, as ExerciseLog.total_volume; 0 when any of them is missing."""
        if self.sets is None or self.reps is None or self.weight_lbs is None:
            return 0.0
        return self.sets * self.reps * self.weight_lbs


@dataclass(frozen=True)
class Workout:
    """A session with every exercise, for the day report."""

    session_type: SessionType
    duration_minutes: int | None
    exercises: tuple[Exercise, ...]
    notes: str | None

    @property
    def total_sets(self) -> int:
        return sum(e.sets or 0 for e in self.exercises)

    @property
    def total_volume_lbs(self) -> float:
        return sum(e.volume_lbs for e in self.exercises)


@dataclass(frozen=True)
class WorkoutSummary:
    """A session in one line (for the week and the history), totals summed in SQL."""

    day: dt.date
    session_type: SessionType
    duration_minutes: int | None
    exercise_names: tuple[str, ...]
    sets: int
    volume_lbs: float
    distance_miles: float


@dataclass(frozen=True)
class Meal:
    day: dt.date
    time: dt.time | None
    meal_type: MealType
    description: str | None
    calories: int | None
    protein_g: float | None
    carbs_g: float | None
    fat_g: float | None
    water_oz: float | None


@dataclass(frozen=True)
class Intake:
    """What the meals of a day add up to; a missing value counts as nothing."""

    calories: int
    protein_g: float
    carbs_g: float
    fat_g: float
    water_oz: float

    @classmethod
    def of(cls, meals: Sequence[Meal]) -> Intake:
        return cls(
            calories=sum(m.calories or 0 for m in meals),
            protein_g=sum(m.protein_g or 0 for m in meals),
            carbs_g=sum(m.carbs_g or 0 for m in meals),
            fat_g=sum(m.fat_g or 0 for m in meals),
            water_oz=sum(m.water_oz or 0 for m in meals),
        )


@dataclass(frozen=True)
class DayReport:
    day: dt.date
    metrics: Metrics | None
    workouts: tuple[Workout, ...]
    meals: tuple[Meal, ...]

    @property
    def intake(self) -> Intake:
        return Intake.of(self.meals)

    @property
    def is_empty(self) -> bool:
        return self.metrics is None and not self.workouts and not self.meals


@dataclass(frozen=True)
class WeighIn:
    day: dt.date
    weight_lbs: float
    body_fat_percentage: float | None
    change_lbs: float | None  # since the weigh-in before it (within what was queried); None for the first


@dataclass(frozen=True)
class WeightTrend:
    first: WeighIn
    last: WeighIn
    lowest_lbs: float
    highest_lbs: float
    count: int

    @property
    def change_lbs(self) -> float:
        return self.last.weight_lbs - self.first.weight_lbs

    @classmethod
    def of(cls, weigh_ins: Sequence[WeighIn]) -> WeightTrend | None:
        """From weigh-ins newest first; None without any."""
        if not weigh_ins:
            return None
        weights = [w.weight_lbs for w in weigh_ins]
        return cls(weigh_ins[-1], weigh_ins[0], min(weights), max(weights), len(weigh_ins))


@dataclass(frozen=True)
class NutritionAverage:
    """Calories and protein per day, averaged over the days that have meals with either logged."""

    days: int
    calories: float
    protein_g: float


@dataclass(frozen=True)
class WeekReport:
    first_day: dt.date
    last_day: dt.date
    weight: WeightTrend | None
    workouts: tuple[WorkoutSummary, ...]  # newest first
    nutrition: NutritionAverage | None

    @property
    def total_sets(self) -> int:
        return sum(w.sets for w in self.workouts)

    @property
    def total_volume_lbs(self) -> float:
        return sum(w.volume_lbs for w in self.workouts)


HistoryEntry = WeighIn | WorkoutSummary | Meal
T = TypeVar("T")


@dataclass(frozen=True)
class HistoryPage:
    kind: HistoryKind
    number: int  # 1-based
    pages: int
    entries: tuple[HistoryEntry, ...]  # newest first
    total: int  # entries across all pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


# --- queries -------------------------------------------------------------------------------------


def _between(column: ColumnElement[dt.date], first: dt.date | None, last: dt.date | None) -> list[ColumnElement[bool]]:
    """Date bounds for a query; None leaves that side open (the whole history)."""
    bounds = []
    if first is not None:
        bounds.append(column >= first)
    if last is not None:
        bounds.append(column <= last)
    return bounds


async def _metrics(session: AsyncSession, member: Member, day: dt.date) -> Metrics | None:
    row = await session.scalar(
        select(HealthMetric).where(HealthMetric.user_id == member.user_id, HealthMetric.recorded_date == day)
    )
    return None if row is None else Metrics.of(row)


async def _workouts(session: AsyncSession, member: Member, day: dt.date) -> tuple[Workout, ...]:
    """The day's sessions with their exercises: two statements (sessions, then all their exercises)."""
    rows = await session.scalars(
        select(WorkoutSession)
        .where(WorkoutSession.user_id == member.user_id, WorkoutSession.session_date == day)
        .order_by(WorkoutSession.created_at, WorkoutSession.id)
        .options(selectinload(WorkoutSession.exercises))
    )
    return tuple(
        Workout(
            session_type=row.session_type,
            duration_minutes=row.duration_minutes,
            exercises=tuple(
                Exercise(e.exercise_name, e.sets, e.reps, e.weight_lbs, e.duration_seconds, e.distance_miles)
                for e in row.exercises
            ),
            notes=row.notes,
        )
        for row in rows
    )


async def _workout_summaries(
    session: AsyncSession, member: Member, first: dt.date | None = None, last: dt.date | None = None
) -> tuple[WorkoutSummary, ...]:
    """One line per session, newest first, with exercise names and totals aggregated in one statement."""
    volume = ExerciseLog.sets * ExerciseLog.reps * ExerciseLog.weight_lbs
    names = func.array_remove(
        func.array_agg(aggregate_order_by(ExerciseLog.exercise_name, ExerciseLog.order_index, ExerciseLog.id)), None
    )
    rows = await session.execute(
        select(
            WorkoutSession.session_date,
            WorkoutSession.session_type,
            WorkoutSession.duration_minutes,
            names,
            func.coalesce(func.sum(ExerciseLog.sets), 0),
            func.coalesce(func.sum(volume), 0).cast(Float),
            func.coalesce(func.sum(ExerciseLog.distance_miles), 0).cast(Float),
        )
        .outerjoin(ExerciseLog, ExerciseLog.workout_session_id == WorkoutSession.id)
        .where(WorkoutSession.user_id == member.user_id, *_between(WorkoutSession.session_date, first, last))
        .group_by(WorkoutSession.id)
        .order_by(WorkoutSession.session_date.desc(), WorkoutSession.created_at.desc(), WorkoutSession.id.desc())
    )
    return tuple(
        WorkoutSummary(day, kind, minutes, tuple(names), sets, volume, distance)
        for day, kind, minutes, names, sets, volume, distance in rows
    )


_MEAL_COLUMNS = (
    MealLog.meal_date,
    MealLog.meal_time,
    MealLog.meal_type,
    MealLog.description,
    MealLog.calories,
    MealLog.protein_g,
    MealLog.carbs_g,
    MealLog.fat_g,
    MealLog.water_oz,
)


async def _meals(
    session: AsyncSession,
    member: Member,
    first: dt.date | None = None,
    last: dt.date | None = None,
    *,
    newest_first: bool,
) -> tuple[Meal, ...]:
    """Meals in eating order (a day reads top to bottom) or newest first (a history); untimed ones after timed."""
    direction = (lambda column: column.desc()) if newest_first else (lambda column: column.asc())
    rows = await session.execute(
        select(*_MEAL_COLUMNS)
        .where(MealLog.user_id == member.user_id, *_between(MealLog.meal_date, first, last))
        .order_by(
            direction(MealLog.meal_date),
            direction(MealLog.meal_time).nulls_last(),
            direction(MealLog.created_at),
            direction(MealLog.id),
        )
    )
    return tuple(Meal(*row) for row in rows)


async def _weigh_ins(
    session: AsyncSession, member: Member, first: dt.date | None = None, last: dt.date | None = None
) -> tuple[WeighIn, ...]:
    """Weigh-ins newest first, each with its change since the one before (a window function)."""
    change = HealthMetric.weight_lbs - func.lag(HealthMetric.weight_lbs).over(order_by=HealthMetric.recorded_date)
    rows = await session.execute(
        select(
            HealthMetric.recorded_date, HealthMetric.weight_lbs, HealthMetric.body_fat_percentage, change.cast(Float)
        )
        .where(
            HealthMetric.user_id == member.user_id,
            HealthMetric.weight_lbs.is_not(None),
            *_between(HealthMetric.recorded_date, first, last),
        )
        .order_by(HealthMetric.recorded_date.desc())
    )
    return tuple(WeighIn(*row) for row in rows)


async def _nutrition(session: AsyncSession, member: Member, first: dt.date, last: dt.date) -> NutritionAverage | None:
    """Per-day averages over the days with food logged (a water-only day is not a day of eating)."""
    eaten = or_(MealLog.calories.is_not(None), MealLog.protein_g.is_not(None))
    days, calories, protein = (
        await session.execute(
            select(
                func.count(distinct(MealLog.meal_date)).filter(eaten),
                func.coalesce(func.sum(MealLog.calories), 0),
                func.coalesce(func.sum(MealLog.protein_g), 0).cast(Float),
            ).where(MealLog.user_id == member.user_id, *_between(MealLog.meal_date, first, last))
        )
    ).one()
    if not days:
        return None
    return NutritionAverage(days=days, calories=calories / days, protein_g=protein / days)


# --- reports -------------------------------------------------------------------------------------


async def day_report(session: AsyncSession, member: Member, day: dt.date) -> DayReport:
    """Everything logged on one local date: four statements."""
    return DayReport(
        day=day,
        metrics=await _metrics(session, member, day),
        workouts=await _workouts(session, member, day),
        meals=await _meals(session, member, day, day, newest_first=False),
    )


async def week_report(session: AsyncSession, member: Member, today: dt.date) -> WeekReport:
    """Today and the six days before: three statements."""
    first = today - dt.timedelta(days=WEEK_DAYS - 1)
    return WeekReport(
        first_day=first,
        last_day=today,
        weight=WeightTrend.of(await _weigh_ins(session, member, first, today)),
        workouts=await _workout_summaries(session, member, first, today),
        nutrition=await _nutrition(session, member, first, today),
    )


async def _history(session: AsyncSession, member: Member, kind: HistoryKind) -> tuple[HistoryEntry, ...]:
    if kind is HistoryKind.WEIGHT:
        return await _weigh_ins(session, member)
    if kind is HistoryKind.WORKOUTS:
        return await _workout_summaries(session, member)
    return await _meals(session, member, newest_first=True)


def paginate(items: Sequence[T], size: Callable[[T], int], *, per_page: int, budget: int) -> list[tuple[T, ...]]:
    """Split items into pages of at most per_page items whose sizes add up to at most budget.

    An item never gets split or shortened: one bigger than the budget gets a page of its own.
    """
    pages: list[tuple[T, ...]] = []
    page: list[T] = []
    used = 0
    for item in items:
        cost = size(item)
        if page and (len(page) == per_page or used + cost > budget):
            pages.append(tuple(page))
            page, used = [], 0
        page.append(item)
        used += cost
    if page:
        pages.append(tuple(page))
    return pages


async def history_page(
    session: AsyncSession,
    member: Member,
    kind: HistoryKind,
    number: int,
    *,
    size: Callable[[HistoryEntry], int],
    budget: int,
    per_page: int = PER_PAGE,
) -> HistoryPage:
    """Page `number` (clamped to the pages there are) of a history, newest first: one statement.

    Page boundaries depend on how long each entry is once written out, which only the
    caller knows, so it passes `size`; the pages are cut from the whole history so that
    "page N of M" is the same whichever page is asked for.
    """
    entries = await _history(session, member, kind)
    pages = paginate(entries, size, per_page=per_page, budget=budget) or [()]
    number = min(max(number, 1), len(pages))
    return HistoryPage(kind=kind, number=number, pages=len(pages), entries=pages[number - 1], total=len(entries))
