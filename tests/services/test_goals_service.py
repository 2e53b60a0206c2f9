"""The goals service against real PostgreSQL: start values, progress from the logs, completion, buttons.

Logs are inserted with SQL as the superuser; the service then runs as the
application role acting for the person (row-level security on), as in the bot.
Each test runs in one transaction that is rolled back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core.db import APP_ROLE, user_context
from fitness_core.models import GoalStatus, GoalType, UserGoal, UserRole
from fitness_core.parsing.goals import parse_goal
from fitness_core.services import goals
from fitness_core.services.accounts import Member
from fitness_core.services.goals import GoalAction, GoalError
from fitness_core.units import UnitSystem
from tests.databases import rolled_back_session

TODAY = dt.date(2026, 11, 25)  # a Wednesday
BENCH = "Barbell Bench Press - Medium Grip"


@pytest.fixture
async def session(database) -> AsyncIterator[AsyncSession]:
    async with rolled_back_session(database.admin) as session:
        yield session


class World:
    """People and their logs, written as the superuser; `person` runs what follows as the app acting for someone."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def sql(self, statement: str, **params) -> object:
        await self.session.execute(text("RESET ROLE"))
        result = await self.session.execute(text(statement), params)
        return result.scalar() if result.returns_rows else None

    async def member(self, name: str, units: UnitSystem = UnitSystem.IMPERIAL) -> Member:
        user_id = await self.sql(
            "INSERT INTO users (username, email, password_hash) VALUES (:n, :e, 'x') RETURNING id",
            n=name,
            e=f"{name}@example.com",
        )
        return Member(user_id, name, None, UserRole.USER, units, "UTC")

    async def weight(self, member: Member, day: dt.date, pounds: float | None = None, body_fat: float | None = None):
        await self.sql(
            "INSERT INTO health_metrics (user_id, recorded_date, weight_lbs, body_fat_percentage) "
            "VALUES (:u, :d, :w, :bf) ON CONFLICT (user_id, recorded_date) "
            "DO UPDATE SET weight_lbs = EXCLUDED.weight_lbs, body_fat_percentage = EXCLUDED.body_fat_percentage",
            u=member.user_id,
            d=day,
            w=pounds,
            bf=body_fat,
        )

    async def lift(self, member: Member, day: dt.date, name: str, weight: float | None, reps: int | None, **more):
        session_id = await self.sql(
            "INSERT INTO workout_sessions (user_id, session_date, session_type) VALUES (:u, :d, 'strength') RETURNING id",
            u=member.user_id,
            d=day,
        )
        await self.sql(
            "INSERT INTO exercise_logs (workout_session_id, exercise_name, sets, reps, weight_lbs, distance_miles) "
            "VALUES (:s, :n, 1, :r, :w, :m)",
            s=session_id,
            n=name,
            r=reps,
            w=weight,
            m=more.get("miles"),
        )

    async def meal(self, member: Member, day: dt.date, protein: float):
        await self.sql(
            "INSERT INTO meal_logs (user_id, meal_date, meal_type, protein_g, calories) VALUES (:u, :d, 'lunch', :p, 500)",
            u=member.user_id,
            d=day,
            p=protein,
        )

    async def person(self, member: Member) -> AsyncSession:
        await self.session.execute(text("RESET ROLE"))
        await self.session.execute(text(f"SET LOCAL ROLE {APP_ROLE}"))
        await self.session.execute(user_context(member.user_id))
        return self.session

    async def set_goal(self, member: Member, phrase: str, today: dt.date = TODAY) -> goals.NewGoal:
        spec = parse_goal(phrase, today=today, units=member.units)
        return await goals.set_goal(await self.person(member), member, spec, today)

    async def after_log(self, member: Member, kinds: set[str], names: set[str] = frozenset(), today: dt.date = TODAY):
        return await goals.progress_after_log(await self.person(member), member.user_id, today, kinds, names)

    async def goal(self, goal_id: int) -> UserGoal:
        await self.session.execute(text("RESET ROLE"))
        found = await self.session.get(UserGoal, goal_id, populate_existing=True)
        assert found is not None
        return found

    async def audit(self, goal_id: int) -> list[str]:
        rows = await self.session.execute(
            text("SELECT action FROM audit_log WHERE table_name = 'user_goals' AND row_id = :r ORDER BY id"),
            {"r": str(goal_id)},
        )
        return [row.action for row in rows]


@pytest.fixture
def world(session) -> World:
    return World(session)


async def test_start_values_come_from_the_latest_data(world):
    sam = await world.member("sam")
    await world.weight(sam, TODAY - dt.timedelta(days=9), 205, body_fat=24)
    await world.weight(sam, TODAY - dt.timedelta(days=2), 200)

    loss = (await world.set_goal(sam, "weight 175 by mar 1")).goal
    fat = (await world.set_goal(sam, "bf 18 by june")).goal
    gain = (await world.set_goal(sam, "weight 210 by june")).goal  # replaces the loss goal

    assert (loss.start_value, loss.current_value, loss.progress) == (200, 200, 0)
    assert (await world.goal(loss.id)).goal_type is GoalType.WEIGHT_LOSS
    assert fat.start_value == 24 and (await world.goal(fat.id)).goal_type is GoalType.WEIGHT_LOSS
    assert (await world.goal(gain.id)).goal_type is GoalType.MUSCLE_GAIN
    assert (await world.goal(loss.id)).status is GoalStatus.ABANDONED
    assert await world.audit(loss.id) == ["create", "abandon"]


async def test_a_goal_without_data_starts_at_the_first_log(world):
    ana = await world.member("ana")
    created = (await world.set_goal(ana, "weight 175 by mar 1")).goal
    assert (created.start_value, created.current_value) == (None, None)

    await world.weight(ana, TODAY, 170)
    assert await world.after_log(ana, {"metric"}) == []  # progress stays 0: only the start was learned

    goal = await world.goal(created.id)
    assert (goal.start_value, goal.current_value, goal.goal_type) == (170, 170, GoalType.MUSCLE_GAIN)
    assert await world.audit(created.id) == ["create", "progress"]


async def test_weight_loss_progress_is_the_share_of_the_distance(world):
    sam = await world.member("sam")
    await world.weight(sam, TODAY - dt.timedelta(days=7), 200)
    created = (await world.set_goal(sam, "weight 175 by mar 1")).goal
    await world.weight(sam, TODAY, 190)

    (event,) = await world.after_log(sam, {"metric"})

    assert (event.goal_id, event.before, event.after, event.completed) == (created.id, 0, 40, False)
    assert event.text == "Goal: Weight 175 lb by Mar 1 — 40% (+40%)"
    goal = await world.goal(created.id)
    assert (goal.current_value, goal.progress_percentage, goal.status) == (190, 40, GoalStatus.ACTIVE)
    assert await world.after_log(sam, {"meal"}) == []  # a meal cannot move a weight goal


async def test_bench_goal_follows_the_best_estimated_one_rep_max(world):
    sam = await world.member("sam")
    other = await world.member("other")
    await world.lift(sam, TODAY - dt.timedelta(days=3), BENCH, 185, 5)  # Epley: 185 * (1 + 5/30) = 215.8
    await world.lift(sam, TODAY - dt.timedelta(days=2), BENCH, 200, 1)  # a single is the weight itself
    await world.lift(sam, TODAY - dt.timedelta(days=2), "Barbell Squat", 300, 5)
    await world.lift(other, TODAY, BENCH, 300, 5)

    created = (await world.set_goal(sam, "bench 225 by june 30")).goal
    assert created.start_value == 215.8
    assert (await world.goal(created.id)).goal_type is GoalType.STRENGTH

    await world.lift(sam, TODAY, BENCH, 205, 3)  # 205 * 1.1 = 225.5
    assert await world.after_log(sam, {"exercise"}, {"Barbell Squat"}) == []  # another lift: not read
    (event,) = await world.after_log(sam, {"exercise"}, {BENCH})

    assert event.completed and event.after == 100
    assert event.text == "🎉 Goal reached: Bench 1RM 225 lb by Jun 30!"
    goal = await world.goal(created.id)
    assert (goal.status, goal.completed_date, goal.current_value) == (GoalStatus.COMPLETED, TODAY, 225.5)
    assert await world.audit(created.id) == ["create", "progress"]


async def test_a_goal_reached_by_a_log_reopens_when_the_log_is_corrected(world):
    sam = await world.member("sam")
    await world.weight(sam, TODAY - dt.timedelta(days=7), 200)
    created = (await world.set_goal(sam, "weight 175 by mar 1")).goal
    await world.weight(sam, TODAY, 175)
    (reached,) = await world.after_log(sam, {"metric"})
    assert reached.completed

    await world.weight(sam, TODAY, 180)  # the day's weigh-in corrected (or undone to an earlier value)
    (reopened,) = await world.after_log(sam, {"metric"})

    assert reopened.reopened and not reopened.completed and reopened.after == 80
    assert reopened.text == "↩️ Goal reopened: Weight 175 lb by Mar 1 — 80%"
    goal = await world.goal(created.id)
    assert (goal.status, goal.completed_date) == (GoalStatus.ACTIVE, None)


async def test_weekly_workouts_count_training_days_of_this_monday_based_week(world):
    sam = await world.member("sam")
    await world.lift(sam, dt.date(2026, 11, 22), BENCH, 100, 5)  # Sunday: last week
    await world.lift(sam, dt.date(2026, 11, 23), BENCH, 100, 5)  # Monday
    await world.lift(sam, dt.date(2026, 11, 24), BENCH, 100, 5)  # Tuesday, twice: one training day
    await world.lift(sam, dt.date(2026, 11, 24), "Barbell Squat", 100, 5)

    created = (await world.set_goal(sam, "workouts 4 weekly")).goal
    assert (created.start_value, created.current_value, created.progress) == (None, 2, 50)
    assert (await world.goal(created.id)).goal_type is GoalType.HABIT

    await world.lift(sam, TODAY, BENCH, 100, 5)
    (event,) = await world.after_log(sam, {"exercise"}, {BENCH})
    assert (event.before, event.after) == (50, 75)

    next_monday = dt.date(2026, 11, 30)
    (new_week,) = await goals.refresh_all(await world.person(sam), sam.user_id, next_monday)
    assert new_week.after == 0


async def test_daily_protein_is_todays_total_and_stays_open_when_hit(world):
    sam = await world.member("sam")
    await world.meal(sam, TODAY - dt.timedelta(days=1), 150)
    await world.meal(sam, TODAY, 40)
    await world.meal(sam, TODAY, 50)

    created = (await world.set_goal(sam, "protein 160 daily")).goal
    assert (created.start_value, created.current_value, created.progress) == (None, 90, 56.25)
    assert (await world.goal(created.id)).goal_type is GoalType.NUTRITION

    await world.meal(sam, TODAY, 80)
    (event,) = await world.after_log(sam, {"meal"})

    assert (event.after, event.completed) == (100, False)
    assert (await world.goal(created.id)).status is GoalStatus.ACTIVE


async def test_buttons_act_only_on_ones_own_goals(world):
    sam = await world.member("sam")
    bob = await world.member("bob")
    created = (await world.set_goal(sam, "weight 175 by dec 1")).goal

    with pytest.raises(GoalError, match="not one of yours"):
        await goals.act(await world.person(bob), bob, created.id, GoalAction.ABANDON, TODAY)
    assert (await world.goal(created.id)).status is GoalStatus.ACTIVE

    late = TODAY + dt.timedelta(days=10)  # five days past the deadline
    acted = await goals.act(await world.person(sam), sam, created.id, GoalAction.EXTEND, late)
    assert acted.goal.target_date == late + dt.timedelta(days=14)
    assert acted.goal.title == "Weight 175 lb by Dec 19"

    await goals.act(await world.person(sam), sam, created.id, GoalAction.ABANDON, late)
    with pytest.raises(GoalError, match="is abandoned, so it cannot be paused"):
        await goals.act(await world.person(sam), sam, created.id, GoalAction.PAUSE, late)
    assert await world.audit(created.id) == ["create", "extend", "abandon"]


async def test_a_target_already_met_is_refused_and_nothing_is_saved(world):
    sam = await world.member("sam")
    await world.lift(sam, TODAY, BENCH, 185, 5)
    with pytest.raises(GoalError, match="already at 215.8 lb"):
        await world.set_goal(sam, "bench 200 by june")
    assert await world.sql("SELECT count(*) FROM user_goals") == 0
