"""What a coach reads about clients: the /clients overview and the /review of one client.

The session acts as the coach, so row-level security already limits every read
to ACTIVE clients; the queries still name the coach and client, for clarity and
for the planner. Dates are each client's own local dates (their time zone),
values are in storage units (pounds); the chat renders them in the coach's units.

The overview is ONE statement whatever the number of clients: the roster is a
CTE and every figure is a set-based aggregate over it, never a query per client.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import (
    CTE,
    ColumnElement,
    Date,
    DateTime,
    Float,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core.models import (
    CoachClient,
    CoachingSession,
    ExerciseLog,
    GoalStatus,
    HealthMetric,
    LinkStatus,
    MealLog,
    User,
    UserGoal,
    UserSettings,
    WorkoutSession,
)
from fitness_core.parsing.goals import Measure
from fitness_core.services.accounts import Member
from fitness_core.services.coaching import ActionItem, Person, clients_actions, find_client, require_coach

WEEK_DAYS = 7
INACTIVE_DAYS = 3
"""A client is flagged once their last log is this many days old (or they never logged)."""

CALORIE_TOLERANCE = 0.10
"""A daily calorie goal is met within 10% either way (cutting and bulking alike); protein at or above target."""


# --- the overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientLine:
    client: Person
    today: dt.date  # in the client's time zone
    last_log: dt.date | None  # the latest weigh-in, workout or meal
    weight_change_lbs: float | None  # first to last weigh-in within today-7 .. today (two or more)
    workouts: int  # in the last 7 days, today included
    days_on_goal: int | None  # of the last 7, days meeting every daily nutrition goal; None without one
    overdue_goals: int  # active goals past their target date
    overdue_actions: int  # open items of this coach's sessions whose next-session date has passed

    @property
    def days_since_log(self) -> int | None:
        return None if self.last_log is None else (self.today - self.last_log).days

    @property
    def flagged(self) -> bool:
        return self.last_log is None or self.days_since_log >= INACTIVE_DAYS

    @property
    def overdue(self) -> int:
        return self.overdue_goals + self.overdue_actions

    def attention(self) -> tuple:
        """Who needs the coach first: flagged ones, then the most overdue items, then the longest silence
        (never logged counts as longest), then by username so the order is stable."""
        return (not self.flagged, -self.overdue, self.last_log or dt.date.min, self.client.username.lower())


DAILY_NUTRITION = (Measure.CALORIES, Measure.PROTEIN)
"""The goals whose unit (fitness_core.parsing.goals.Measure) says they count a nutrient per day."""


async def client_overview(session: AsyncSession, member: Member, now: dt.datetime) -> list[ClientLine]:
    """One line per active client, the client needing attention first (ClientLine.attention). One statement."""
    require_coach(member)
    roster = _roster(member, now)
    rows = await session.execute(
        select(
            roster.c.id,
            roster.c.username,
            roster.c.full_name,
            roster.c.zone,
            roster.c.today,
            _last_log(roster),
            _weight_change(roster),
            _workouts(roster),
            _days_on_goal(roster),
            _overdue_goals(roster),
            _overdue_actions(roster, member.user_id),
        )
    )
    lines = [
        ClientLine(Person(user_id, username, full_name, zone), *figures)
        for user_id, username, full_name, zone, *figures in rows
    ]
    return sorted(lines, key=ClientLine.attention)


def _roster(member: Member, now: dt.datetime) -> CTE:
    """The coach's active clients, each with their own local today."""
    zone = func.coalesce(UserSettings.timezone, "UTC")
    today = cast(func.timezone(zone, literal(now, DateTime(timezone=True))), Date)
    return (
        select(User.id, User.username, User.full_name, zone.label("zone"), today.label("today"))
        .join(CoachClient, CoachClient.client_id == User.id)
        .outerjoin(UserSettings, UserSettings.user_id == User.id)
        .where(CoachClient.coach_id == member.user_id, CoachClient.status == LinkStatus.ACTIVE)
        .cte("roster")
    )


def _week(roster: CTE, date_column) -> ColumnElement[bool]:
    """Within the client's last 7 days, today included."""
    return date_column.between(roster.c.today - (WEEK_DAYS - 1), roster.c.today)


def _last_log(roster: CTE) -> ColumnElement:
    """The latest day with a weigh-in, a workout or a meal (GREATEST skips the kinds never logged)."""
    latest = [
        select(func.max(day)).where(owner == roster.c.id).scalar_subquery()
        for day, owner in (
            (HealthMetric.recorded_date, HealthMetric.user_id),
            (WorkoutSession.session_date, WorkoutSession.user_id),
            (MealLog.meal_date, MealLog.user_id),
        )
    ]
    return func.greatest(*latest)


def _weight_change(roster: CTE) -> ColumnElement:
    """Last minus first weigh-in within today-7 .. today; NULL with fewer than two."""
    newest_first = func.array_agg(aggregate_order_by(HealthMetric.weight_lbs, HealthMetric.recorded_date.desc()))
    oldest_first = func.array_agg(aggregate_order_by(HealthMetric.weight_lbs, HealthMetric.recorded_date))
    change = (
        select(case((func.count() > 1, newest_first[1] - oldest_first[1])))
        .where(
            HealthMetric.user_id == roster.c.id,
            HealthMetric.weight_lbs.is_not(None),
            HealthMetric.recorded_date.between(roster.c.today - WEEK_DAYS, roster.c.today),
        )
        .scalar_subquery()
    )
    return cast(change, Float)


def _workouts(roster: CTE) -> ColumnElement:
    return (
        select(func.count())
        .where(WorkoutSession.user_id == roster.c.id, _week(roster, WorkoutSession.session_date))
        .scalar_subquery()
    )


def _days_on_goal(roster: CTE) -> ColumnElement:
    """Days of the last 7 whose meals meet every daily nutrition goal; NULL for clients without one.

    A day without meals meets nothing. Sums are per client and day (GROUP BY), then each
    day is checked against every goal of its client at once (NOT EXISTS a missed goal).
    """
    goals = (
        select(UserGoal.user_id, UserGoal.target_unit.label("kind"), UserGoal.target_value)
        .join(roster, roster.c.id == UserGoal.user_id)
        .where(
            UserGoal.status == GoalStatus.ACTIVE,
            UserGoal.target_unit.in_([measure.value for measure in DAILY_NUTRITION]),
            UserGoal.target_value.is_not(None),
        )
        .cte("daily_goals")
    )
    days = (
        select(
            MealLog.user_id,
            func.coalesce(func.sum(MealLog.calories), 0).label("calories"),
            func.coalesce(func.sum(MealLog.protein_g), 0).label("protein"),
        )
        .join(roster, roster.c.id == MealLog.user_id)
        .where(_week(roster, MealLog.meal_date))
        .group_by(MealLog.user_id, MealLog.meal_date)
        .cte("meal_days")
    )
    met = case(
        (
            goals.c.kind == Measure.CALORIES.value,
            func.abs(days.c.calories - goals.c.target_value) <= goals.c.target_value * CALORIE_TOLERANCE,
        ),
        else_=days.c.protein >= goals.c.target_value,
    )
    missed_a_goal = exists().where(goals.c.user_id == days.c.user_id, not_(met))
    on_goal = (
        select(func.count()).select_from(days).where(days.c.user_id == roster.c.id, not_(missed_a_goal))
    ).scalar_subquery()
    return case((exists().where(goals.c.user_id == roster.c.id), on_goal))


def _overdue_goals(roster: CTE) -> ColumnElement:
    return (
        select(func.count())
        .where(
            UserGoal.user_id == roster.c.id,
            UserGoal.status == GoalStatus.ACTIVE,
            UserGoal.target_date < roster.c.today,
        )
        .scalar_subquery()
    )


def _overdue_actions(roster: CTE, coach_id: int) -> ColumnElement:
    """Open items of sessions that are overdue as CoachingSession.is_overdue_on defines it."""
    still_open = func.cardinality(CoachingSession.action_items) - func.cardinality(CoachingSession.done_action_items)
    return (
        select(func.coalesce(func.sum(still_open), 0))
        .where(
            CoachingSession.user_id == roster.c.id,
            CoachingSession.coach_id == coach_id,
            CoachingSession.completed.is_(False),
            CoachingSession.next_session_date < roster.c.today,
        )
        .scalar_subquery()
    )


# --- one client's review -------------------------------------------------------------------------


class Period(enum.StrEnum):
    WEEK = "week"
    MONTH = "month"

    @property
    def days(self) -> int:
        return WEEK_DAYS if self is Period.WEEK else 30


@dataclass(frozen=True)
class BodyTrend:
    """First and last values in the period (weight and body fat each from the days they were measured)."""

    weigh_ins: int
    first_weight_lbs: float | None
    last_weight_lbs: float | None
    first_body_fat: float | None
    last_body_fat: float | None

    @property
    def weight_change_lbs(self) -> float | None:
        if self.weigh_ins < 2:
            return None
        return self.last_weight_lbs - self.first_weight_lbs

    @property
    def body_fat_change(self) -> float | None:
        if self.first_body_fat is None or self.last_body_fat is None:
            return None
        return self.last_body_fat - self.first_body_fat


@dataclass(frozen=True)
class PersonalRecord:
    exercise: str
    estimated_1rm_lbs: float  # Epley: weight x (1 + reps / 30); a single is its own weight
    previous_lbs: float  # the best before the period


@dataclass(frozen=True)
class Training:
    sessions: int
    sets: int
    volume_lbs: float  # sets x reps x weight
    records: tuple[PersonalRecord, ...]


@dataclass(frozen=True)
class Nutrition:
    """Per-day averages over the days with meals logged."""

    days: int
    calories: float
    protein_g: float
    carbs_g: float
    fat_g: float


@dataclass(frozen=True)
class GoalProgress:
    title: str
    status: GoalStatus
    progress_percentage: float
    current_value: float | None
    target_value: float | None
    target_unit: str | None
    target_date: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class LastSession:
    session_date: dt.date
    topics: tuple[str, ...]
    coach_feedback: str | None
    user_rating: int | None
    next_session_date: dt.date | None
    days_until_next_session: int | None
    overdue: bool


@dataclass(frozen=True)
class Review:
    client: Person
    period: Period
    first_day: dt.date
    last_day: dt.date
    body: BodyTrend
    training: Training
    nutrition: Nutrition | None
    goals: tuple[GoalProgress, ...]
    open_actions: tuple[ActionItem, ...]
    last_session: LastSession | None


async def client_review(
    session: AsyncSession, member: Member, username: str, period: Period, now: dt.datetime
) -> Review:
    """One client over the last 7 or 30 days of their local calendar (NotYourClient for anyone else)."""
    client = await find_client(session, member, username)
    today = client.today(now)
    first = today - dt.timedelta(days=period.days - 1)
    actions = await clients_actions(session, member, today, client_id=client.user_id)
    return Review(
        client=client,
        period=period,
        first_day=first,
        last_day=today,
        body=await _body(session, client.user_id, first, today),
        training=Training(
            *await _training_totals(session, client.user_id, first, today),
            records=await _records(session, client.user_id, first, today),
        ),
        nutrition=await _nutrition(session, client.user_id, first, today),
        goals=await _goals(session, client.user_id, first, today),
        open_actions=tuple(item for group in actions for item in group.items if not item.done),
        last_session=await _last_session(session, member, client.user_id, today),
    )


def _first(column, order):
    """The column's value on the first row in `order` where it is set (an aggregate)."""
    return cast(func.array_agg(aggregate_order_by(column, order)).filter(column.is_not(None))[1], Float)


async def _body(session: AsyncSession, user_id: int, first: dt.date, last: dt.date) -> BodyTrend:
    weight, fat, day = HealthMetric.weight_lbs, HealthMetric.body_fat_percentage, HealthMetric.recorded_date
    row = (
        await session.execute(
            select(
                func.count(weight),
                _first(weight, day.asc()),
                _first(weight, day.desc()),
                _first(fat, day.asc()),
                _first(fat, day.desc()),
            ).where(HealthMetric.user_id == user_id, HealthMetric.recorded_date.between(first, last))
        )
    ).one()
    return BodyTrend(*row)


async def _training_totals(
    session: AsyncSession, user_id: int, first: dt.date, last: dt.date
) -> tuple[int, int, float]:
    volume = ExerciseLog.sets * ExerciseLog.reps * ExerciseLog.weight_lbs
    row = (
        await session.execute(
            select(
                func.count(distinct(WorkoutSession.id)),
                func.coalesce(func.sum(ExerciseLog.sets), 0),
                cast(func.coalesce(func.sum(volume), 0), Float),
            )
            .outerjoin(ExerciseLog, ExerciseLog.workout_session_id == WorkoutSession.id)
            .where(WorkoutSession.user_id == user_id, WorkoutSession.session_date.between(first, last))
        )
    ).one()
    return tuple(row)


async def _records(session: AsyncSession, user_id: int, first: dt.date, last: dt.date) -> tuple[PersonalRecord, ...]:
    """Exercises whose best estimated 1RM in the period beats every earlier one (a first-ever lift is no record)."""
    estimate = ExerciseLog.estimated_one_rep_max
    in_period = WorkoutSession.session_date >= first
    best_now = func.max(estimate).filter(in_period)
    best_before = func.max(estimate).filter(not_(in_period))
    rows = await session.execute(
        select(func.min(ExerciseLog.exercise_name), cast(best_now, Float), cast(best_before, Float))
        .join(WorkoutSession, WorkoutSession.id == ExerciseLog.workout_session_id)
        .where(
            WorkoutSession.user_id == user_id,
            WorkoutSession.session_date <= last,
            ExerciseLog.weight_lbs > 0,
            ExerciseLog.reps >= 1,
        )
        .group_by(func.lower(ExerciseLog.exercise_name))
        .having(best_now > best_before)
        .order_by(func.lower(ExerciseLog.exercise_name))
    )
    return tuple(PersonalRecord(*row) for row in rows)


async def _nutrition(session: AsyncSession, user_id: int, first: dt.date, last: dt.date) -> Nutrition | None:
    sums = [
        func.coalesce(func.sum(column), 0)
        for column in (MealLog.calories, MealLog.protein_g, MealLog.carbs_g, MealLog.fat_g)
    ]
    days, *totals = (
        await session.execute(
            select(func.count(distinct(MealLog.meal_date)), *(cast(total, Float) for total in sums)).where(
                MealLog.user_id == user_id, MealLog.meal_date.between(first, last)
            )
        )
    ).one()
    return Nutrition(days, *(total / days for total in totals)) if days else None


async def _goals(session: AsyncSession, user_id: int, first: dt.date, today: dt.date) -> tuple[GoalProgress, ...]:
    """Active goals, and goals completed within the period (their progress is the news)."""
    rows = await session.scalars(
        select(UserGoal)
        .where(
            UserGoal.user_id == user_id,
            or_(
                UserGoal.status == GoalStatus.ACTIVE,
                and_(UserGoal.status == GoalStatus.COMPLETED, UserGoal.completed_date >= first),
            ),
        )
        .order_by(UserGoal.target_date.asc().nulls_last(), UserGoal.id)
    )
    return tuple(
        GoalProgress(
            goal.title,
            goal.status,
            goal.progress_percentage,
            goal.current_value,
            goal.target_value,
            goal.target_unit,
            goal.target_date,
            goal.is_overdue_on(today),
        )
        for goal in rows
    )


async def _last_session(session: AsyncSession, member: Member, user_id: int, today: dt.date) -> LastSession | None:
    row = await session.scalar(
        select(CoachingSession)
        .where(CoachingSession.user_id == user_id, CoachingSession.coach_id == member.user_id)
        .order_by(CoachingSession.session_date.desc(), CoachingSession.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    return LastSession(
        row.session_date,
        tuple(row.topics),
        row.coach_feedback,
        row.user_rating,
        row.next_session_date,
        row.days_until_next_session_from(today),
        row.is_overdue_on(today),
    )
