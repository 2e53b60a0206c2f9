"""Goals: set from a /goal phrase, kept up to date from the logs, listed, paused, resumed, completed, extended.

What a goal follows is its target_unit (see fitness_core.parsing.goals.Measure);
for lift and distance goals, `description` holds the catalogue name of the
exercise, which exercise_logs.exercise_name is matched against. Goals made
elsewhere with another unit are listed but not updated automatically.

Progress is always recomputed from the database (latest weigh-in, best set,
today's meals, this week's sessions), never from the message that triggered
it, so an undone or corrected log moves the goal back as well. One-off goals
(weight, body fat, a lift, a distance) complete themselves when reached; a
goal completed today by a log that is then undone or corrected reopens.
Daily and weekly goals measure the current day or week and stay active: the
person closes them.

Everything takes the caller's AsyncSession (acting as the person under row-level
security) and never commits; every write leaves an AuditLog row.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Collection
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core import formatting
from fitness_core.models import (
    AuditLog,
    ExerciseLog,
    GoalStatus,
    GoalType,
    HealthMetric,
    MealLog,
    UserGoal,
    WorkoutSession,
)
from fitness_core.parsing.goals import GoalSpec, Measure, amount, retitled
from fitness_core.services.accounts import Member

EXTEND_DAYS = 14
RECENT_FINISHED = 5
"""How many completed or abandoned goals /goals still shows, newest first."""

OPEN = (GoalStatus.ACTIVE, GoalStatus.PAUSED)

# Entry kinds of the chat parser (metric, exercise, workout, meal) -> the measures a log of that kind can move.
MEASURES_BY_KIND: dict[str, frozenset[Measure]] = {
    "metric": frozenset({Measure.BODY_WEIGHT, Measure.BODY_FAT}),
    "exercise": frozenset({Measure.LIFT, Measure.DISTANCE, Measure.WORKOUTS}),
    "workout": frozenset({Measure.WORKOUTS}),
    "meal": frozenset({Measure.PROTEIN, Measure.CALORIES}),
}
_PER_EXERCISE = frozenset({Measure.LIFT, Measure.DISTANCE})
_RECURRING_UNITS = tuple(measure.value for measure in Measure if measure.recurring)
_FIXED_TYPES = {
    Measure.LIFT: GoalType.STRENGTH,
    Measure.DISTANCE: GoalType.ENDURANCE,
    Measure.PROTEIN: GoalType.NUTRITION,
    Measure.CALORIES: GoalType.NUTRITION,
    Measure.WORKOUTS: GoalType.HABIT,
}


class GoalError(Exception):
    """Something the person must change; the message is shown to them as is."""


class GoalAction(enum.StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    COMPLETE = "complete"
    ABANDON = "abandon"
    EXTEND = "extend"


_ALLOWED_FROM = {
    GoalAction.PAUSE: (GoalStatus.ACTIVE,),
    GoalAction.RESUME: (GoalStatus.PAUSED,),
    GoalAction.COMPLETE: OPEN,
    GoalAction.ABANDON: OPEN,
    GoalAction.EXTEND: OPEN,
}
_NEW_STATUS = {
    GoalAction.PAUSE: GoalStatus.PAUSED,
    GoalAction.RESUME: GoalStatus.ACTIVE,
    GoalAction.COMPLETE: GoalStatus.COMPLETED,
    GoalAction.ABANDON: GoalStatus.ABANDONED,
}


@dataclass(frozen=True, slots=True)
class GoalEvent:
    """A goal a log moved: progress before and after (0-100), and whether it was just reached or reopened."""

    goal_id: int
    title: str
    before: float
    after: float
    completed: bool = False
    reopened: bool = False

    @property
    def text(self) -> str:
        """ "Goal: Weight 175 lb by Mar 1 — 62% (+8%)", "🎉 Goal reached: …" (plain text; escape for HTML)."""
        return formatting.goal_event(
            self.title, self.before, self.after, completed=self.completed, reopened=self.reopened
        )


@dataclass(frozen=True, slots=True)
class GoalView:
    """A goal as the chat shows it, in storage units; `measure` is None for goals the bot does not track."""

    id: int
    title: str
    status: GoalStatus
    measure: Measure | None
    start_value: float | None
    current_value: float | None
    target_value: float | None
    progress: float
    target_date: dt.date | None
    days_remaining: int | None
    overdue: bool
    completed_date: dt.date | None


@dataclass(frozen=True, slots=True)
class NewGoal:
    goal: GoalView
    replaced: tuple[str, ...] = ()
    """Titles of the earlier open goals for the same thing, abandoned in favour of this one."""


@dataclass(frozen=True, slots=True)
class Acted:
    """What a button did: the goal afterwards, and an event when resuming found it already reached."""

    action: GoalAction
    goal: GoalView
    event: GoalEvent | None = None


# --------------------------------------------------------------------------- reading the logs


Reading = Callable[[int, str | None, dt.date], Select]
"""(user id, the goal's exercise, today) -> a query for one number: where the person stands."""


def _latest(column) -> Reading:
    """The latest weigh-in's value: body weight and body fat goals follow the newest measurement."""

    def query(user_id: int, exercise: str | None, today: dt.date) -> Select:
        return (
            select(column)
            .where(HealthMetric.user_id == user_id, column.is_not(None), HealthMetric.recorded_date <= today)
            .order_by(HealthMetric.recorded_date.desc())
            .limit(1)
        )

    return query


def _best(expression, *conditions) -> Reading:
    """The best value of `expression` over every logged set of the goal's exercise, up to today."""

    def query(user_id: int, exercise: str | None, today: dt.date) -> Select:
        return (
            select(func.max(expression))
            .join(WorkoutSession, WorkoutSession.id == ExerciseLog.workout_session_id)
            .where(
                WorkoutSession.user_id == user_id,
                WorkoutSession.session_date <= today,
                func.lower(ExerciseLog.exercise_name) == (exercise or "").lower(),
                *conditions,
            )
        )

    return query


def _todays_total(column) -> Reading:
    """The sum over today's meals (zero before the first): daily goals start again every day."""

    def query(user_id: int, exercise: str | None, today: dt.date) -> Select:
        return select(func.coalesce(func.sum(column), 0)).where(MealLog.user_id == user_id, MealLog.meal_date == today)

    return query


def _sessions_this_week(user_id: int, exercise: str | None, today: dt.date) -> Select:
    """Training days in the person's Monday-based week up to today (several sessions on a day count once)."""
    monday = today - dt.timedelta(days=today.weekday())
    return select(func.count(distinct(WorkoutSession.session_date))).where(
        WorkoutSession.user_id == user_id, WorkoutSession.session_date.between(monday, today)
    )


_READINGS: dict[Measure, Reading] = {
    Measure.BODY_WEIGHT: _latest(HealthMetric.weight_lbs),
    Measure.BODY_FAT: _latest(HealthMetric.body_fat_percentage),
    Measure.LIFT: _best(ExerciseLog.estimated_one_rep_max, ExerciseLog.weight_lbs > 0, ExerciseLog.reps >= 1),
    Measure.DISTANCE: _best(ExerciseLog.distance_miles, ExerciseLog.distance_miles > 0),
    Measure.PROTEIN: _todays_total(MealLog.protein_g),
    Measure.CALORIES: _todays_total(MealLog.calories),
    Measure.WORKOUTS: _sessions_this_week,
}


async def reading(
    session: AsyncSession, user_id: int, measure: Measure, exercise: str | None, today: dt.date
) -> float | None:
    """Where the person stands on a measure today, from the database; None when nothing was logged."""
    value = await session.scalar(_READINGS[measure](user_id, exercise, today))
    return None if value is None else round(float(value), 2 if measure is Measure.DISTANCE else 1)


# --------------------------------------------------------------------------- setting a goal


def goal_type(measure: Measure, start: float | None, target: float) -> GoalType:
    """Weight down is weight loss and up muscle gain; body fat down is weight loss, up "other".

    Without a start the direction is unknown: weight loss, the common case,
    until the first weigh-in sets the start and the type with it.
    """
    rising = start is not None and target > start
    if measure is Measure.BODY_WEIGHT:
        return GoalType.MUSCLE_GAIN if rising else GoalType.WEIGHT_LOSS
    if measure is Measure.BODY_FAT:
        return GoalType.OTHER if rising else GoalType.WEIGHT_LOSS
    return _FIXED_TYPES[measure]


async def set_goal(session: AsyncSession, member: Member, spec: GoalSpec, today: dt.date) -> NewGoal:
    """Save a parsed goal, starting from the latest data; an open goal for the same thing is replaced."""
    value = await reading(session, member.user_id, spec.measure, spec.exercise, today)
    start = None if spec.measure.recurring else value
    _refuse_reached(spec, start, member)
    replaced = await _replace_open(session, member, spec)
    goal = UserGoal(
        user_id=member.user_id,
        goal_type=goal_type(spec.measure, start, spec.target_value),
        title=spec.title,
        description=spec.exercise,
        target_value=spec.target_value,
        target_unit=spec.measure.value,
        target_date=spec.target_date,
        start_value=start,
        start_date=today,
        status=GoalStatus.ACTIVE,
        progress_percentage=0,
    )
    if value is not None:
        goal.update_progress(value, auto_complete=False, today=today)
    session.add(goal)
    await session.flush()
    session.add(AuditLog.about(member.user_id, "create", goal, spec=_snapshot(goal)))
    return NewGoal(view(goal, today), replaced)


def _refuse_reached(spec: GoalSpec, start: float | None, member: Member) -> None:
    """A one-off goal the person already meets would complete with their next log: say so instead."""
    if start is None:
        return
    rising_only = spec.measure in _PER_EXERCISE
    if start == spec.target_value or (rising_only and start > spec.target_value):
        now = amount(spec.measure, start, member.units)
        raise GoalError(f"You are already at {now} ({_READING_NAMES[spec.measure]}): pick a target further on.")


_READING_NAMES = {
    Measure.BODY_WEIGHT: "latest weigh-in",
    Measure.BODY_FAT: "latest body fat",
    Measure.LIFT: "best estimated one-rep max so far",
    Measure.DISTANCE: "longest so far",
}


async def _replace_open(session: AsyncSession, member: Member, spec: GoalSpec) -> tuple[str, ...]:
    """Abandon open goals that follow the same thing, so one measure never has two competing targets."""
    same_exercise = (
        UserGoal.description.is_(None)
        if spec.exercise is None
        else func.lower(UserGoal.description) == spec.exercise.lower()
    )
    earlier = await session.scalars(
        select(UserGoal).where(
            UserGoal.user_id == member.user_id,
            UserGoal.status.in_(OPEN),
            UserGoal.target_unit == spec.measure.value,
            same_exercise,
        )
    )
    titles = []
    for goal in earlier:
        session.add(AuditLog.about(member.user_id, "abandon", goal, before=goal.status.value, reason="replaced"))
        goal.status = GoalStatus.ABANDONED
        titles.append(goal.title)
    return tuple(titles)


# --------------------------------------------------------------------------- progress


async def progress_after_log(
    session: AsyncSession,
    user_id: int,
    today: dt.date,
    kinds: Collection[str],
    exercise_names: Collection[str] = (),
) -> list[GoalEvent]:
    """Bring up to date the goals a saved (or undone) log can move; returns the ones whose progress changed.

    `kinds` are the parser's entry kinds that were written ("metric",
    "exercise", "workout", "meal"); `exercise_names` the exercise_name of each
    exercise row, so only goals on those lifts or distances are read. `today`
    is the person's local date (Member.today(now)): daily goals read today's
    meals and weekly goals this Monday-based week. Call it in the same
    transaction, after the rows are flushed; after an undo, `refresh_all`.
    """
    measures = frozenset().union(*(MEASURES_BY_KIND.get(kind, ()) for kind in kinds))
    if not measures:
        return []
    names = {name.lower() for name in exercise_names}
    goals = [
        goal
        for goal in await _live_goals(session, user_id, today)
        if _measure(goal) in measures
        and (_measure(goal) not in _PER_EXERCISE or (goal.description or "").lower() in names)
    ]
    return await _recompute(session, user_id, goals, today)


async def refresh_all(session: AsyncSession, user_id: int, today: dt.date) -> list[GoalEvent]:
    """Recompute every active goal (and those completed today): for a new day or week, or after an undo."""
    return await _recompute(session, user_id, await _live_goals(session, user_id, today), today)


async def _live_goals(session: AsyncSession, user_id: int, today: dt.date) -> list[UserGoal]:
    """Active goals, and goals a log completed today (at 100%), which a corrected or undone log may reopen."""
    reached_today = and_(
        UserGoal.status == GoalStatus.COMPLETED,
        UserGoal.completed_date == today,
        UserGoal.progress_percentage >= 100,
        UserGoal.target_unit.not_in(_RECURRING_UNITS),
    )
    result = await session.scalars(
        select(UserGoal)
        .where(UserGoal.user_id == user_id, or_(UserGoal.status == GoalStatus.ACTIVE, reached_today))
        .order_by(UserGoal.id)
        .with_for_update()
    )
    return list(result)


def _measure(goal: UserGoal) -> Measure | None:
    try:
        return Measure(goal.target_unit)
    except ValueError:
        return None


async def _recompute(session: AsyncSession, user_id: int, goals: list[UserGoal], today: dt.date) -> list[GoalEvent]:
    """Read each goal's measure afresh and move it; every change is audited, progress changes reported."""
    events = []
    for goal in goals:
        measure = _measure(goal)
        if measure is None:
            continue
        value = await reading(session, user_id, measure, goal.description, today)
        event = _apply(goal, measure, value, today) if value is not None else None
        if event is not None:
            session.add(AuditLog.about(user_id, "progress", goal, **_progress_details(event, goal)))
            if event.before != event.after or event.completed or event.reopened:
                events.append(event)
    return events


def _apply(goal: UserGoal, measure: Measure, value: float, today: dt.date) -> GoalEvent | None:
    """Move one goal to `value`; returns an event when anything about it changed (None otherwise)."""
    before = (goal.status, goal.current_value, goal.start_value, goal.progress_percentage)
    reopened = _reopen_if_undone(goal, measure, value)
    if goal.start_value is None and not measure.recurring:
        goal.start_value = value  # no data when it was set: the first log is where it starts
        goal.goal_type = goal_type(measure, value, goal.target_value)
    completed = goal.update_progress(value, auto_complete=not measure.recurring, today=today)
    if (goal.status, goal.current_value, goal.start_value, goal.progress_percentage) == before:
        return None
    return GoalEvent(goal.id, goal.title, before[3], goal.progress_percentage, completed, reopened)


def _reopen_if_undone(goal: UserGoal, measure: Measure, value: float) -> bool:
    """A goal completed today by a log (it is at 100%) reopens when that log was undone or corrected."""
    if goal.status != GoalStatus.COMPLETED or measure.recurring or goal.progress_percentage < 100:
        return False
    if goal.calculate_progress(value) >= 100:
        return False
    goal.status = GoalStatus.ACTIVE
    goal.completed_date = None
    return True


def _progress_details(event: GoalEvent, goal: UserGoal) -> dict:
    return {
        "progress": {"before": event.before, "after": event.after},
        "current_value": goal.current_value,
        "start_value": goal.start_value,
        "status": goal.status.value,
    }


# --------------------------------------------------------------------------- listing and buttons


def view(goal: UserGoal, today: dt.date) -> GoalView:
    return GoalView(
        id=goal.id,
        title=goal.title,
        status=goal.status,
        measure=_measure(goal),
        start_value=goal.start_value,
        current_value=goal.current_value,
        target_value=goal.target_value,
        progress=goal.progress_percentage or 0.0,
        target_date=goal.target_date,
        days_remaining=goal.days_remaining_from(today) if goal.status in OPEN else None,
        overdue=goal.is_overdue_on(today),
        completed_date=goal.completed_date,
    )


async def overview(session: AsyncSession, member: Member, today: dt.date) -> list[GoalView]:
    """Active goals, then paused ones (nearest deadline first), then the few most recently finished.

    Progress is recomputed first, so daily and weekly goals show today and this week.
    """
    await refresh_all(session, member.user_id, today)
    open_goals = await session.scalars(
        select(UserGoal)
        .where(UserGoal.user_id == member.user_id, UserGoal.status.in_(OPEN))
        .order_by(
            case((UserGoal.status == GoalStatus.ACTIVE, 0), else_=1),
            UserGoal.target_date.asc().nulls_last(),
            UserGoal.id,
        )
    )
    finished = await session.scalars(
        select(UserGoal)
        .where(UserGoal.user_id == member.user_id, UserGoal.status.not_in(OPEN))
        .order_by(UserGoal.updated_at.desc(), UserGoal.id.desc())
        .limit(RECENT_FINISHED)
    )
    return [view(goal, today) for goal in (*open_goals, *finished)]


async def act(session: AsyncSession, member: Member, goal_id: int, action: GoalAction, today: dt.date) -> Acted:
    """Pause, resume, complete, abandon or extend one of the person's own goals."""
    goal = await session.scalar(
        select(UserGoal).where(UserGoal.id == goal_id, UserGoal.user_id == member.user_id).with_for_update()
    )
    if goal is None:
        raise GoalError("That goal is not one of yours, or it no longer exists.")
    if goal.status not in _ALLOWED_FROM[action]:
        raise GoalError(f"“{goal.title}” is {goal.status.value}, so it cannot be {_PAST[action]} now.")
    details = _extend(goal, today) if action is GoalAction.EXTEND else _change_status(goal, action, today)
    await session.flush()
    session.add(AuditLog.about(member.user_id, action.value, goal, **details))
    event = None
    if action is GoalAction.RESUME:
        events = await _recompute(session, member.user_id, [goal], today)
        event = events[0] if events else None
    return Acted(action, view(goal, today), event)


_PAST = {
    GoalAction.PAUSE: "paused",
    GoalAction.RESUME: "resumed",
    GoalAction.COMPLETE: "completed",
    GoalAction.ABANDON: "abandoned",
    GoalAction.EXTEND: "extended",
}


def _change_status(goal: UserGoal, action: GoalAction, today: dt.date) -> dict:
    before = goal.status
    goal.status = _NEW_STATUS[action]
    if goal.status is GoalStatus.COMPLETED:
        goal.completed_date = today
    return {"status": {"before": before.value, "after": goal.status.value}}


def _extend(goal: UserGoal, today: dt.date) -> dict:
    """Two more weeks from the later of today and the deadline (an overdue goal gets two weeks from now)."""
    before = goal.target_date
    goal.target_date = max(today, before or today) + dt.timedelta(days=EXTEND_DAYS)
    goal.title = retitled(goal.title, goal.target_date, today)
    return {"target_date": {"before": before and before.isoformat(), "after": goal.target_date.isoformat()}}


# --------------------------------------------------------------------------- audit


def _snapshot(goal: UserGoal) -> dict:
    return {
        "title": goal.title,
        "goal_type": goal.goal_type.value,
        "target_value": goal.target_value,
        "target_unit": goal.target_unit,
        "target_date": goal.target_date and goal.target_date.isoformat(),
        "start_value": goal.start_value,
        "exercise": goal.description,
    }
