"""The coaching and review services against real PostgreSQL, as the application role under row-level security.

The session connects as the application role, as the bot does: rows are set up
in the system role (BYPASSRLS), then the services run acting as one person, so
every read and write below is checked by the policies. Each test runs in one
transaction that is rolled back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core.models import UserRole
from fitness_core.services import coaching, review
from fitness_core.services.access import act_as_system, act_as_user
from fitness_core.services.accounts import Member
from fitness_core.services.coaching import CoachingError, NotACoach, NotYourClient
from fitness_core.services.session_line import SessionDraft
from fitness_core.units import UnitSystem
from tests.databases import rolled_back_session

NOW = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
async def session(database) -> AsyncIterator[AsyncSession]:
    async with rolled_back_session(database.app) as session:
        yield session


class World:
    """People and their logs, written in the system role; `as_` then acts for one person."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def sql(self, statement: str, **params) -> object:
        await act_as_system(self.session)
        result = await self.session.execute(text(statement), params)
        return result.scalar() if result.returns_rows else None

    async def person(self, name: str, role: UserRole = UserRole.USER, timezone: str = "UTC") -> Member:
        user_id = await self.sql(
            "INSERT INTO users (username, email, password_hash, role) VALUES (:n, :e, 'x', :r) RETURNING id",
            n=name,
            e=f"{name}@example.com",
            r=role.value,
        )
        await self.sql("INSERT INTO user_settings (user_id, timezone) VALUES (:u, :z)", u=user_id, z=timezone)
        return Member(user_id, name, None, role, UnitSystem.IMPERIAL, timezone)

    async def link(self, coach: Member, client: Member, status: str = "active") -> None:
        await self.sql(
            "INSERT INTO coach_clients (coach_id, client_id, status) VALUES (:c, :u, :s)",
            c=coach.user_id,
            u=client.user_id,
            s=status,
        )

    async def weight(self, who: Member, day: dt.date, lbs: float, body_fat: float | None = None) -> None:
        await self.sql(
            "INSERT INTO health_metrics (user_id, recorded_date, weight_lbs, body_fat_percentage) VALUES (:u, :d, :w, :f)",
            u=who.user_id,
            d=day,
            w=lbs,
            f=body_fat,
        )

    async def lift(self, who: Member, day: dt.date, name: str, sets: int, reps: int, lbs: float) -> None:
        workout = await self.sql(
            "INSERT INTO workout_sessions (user_id, session_date, session_type) VALUES (:u, :d, 'strength') RETURNING id",
            u=who.user_id,
            d=day,
        )
        await self.sql(
            "INSERT INTO exercise_logs (workout_session_id, exercise_name, sets, reps, weight_lbs) "
            "VALUES (:w, :n, :s, :r, :l)",
            w=workout,
            n=name,
            s=sets,
            r=reps,
            l=lbs,
        )

    async def meal(self, who: Member, day: dt.date, calories: int, protein: float) -> None:
        await self.sql(
            "INSERT INTO meal_logs (user_id, meal_date, meal_type, calories, protein_g, carbs_g, fat_g) "
            "VALUES (:u, :d, 'lunch', :c, :p, 100, 50)",
            u=who.user_id,
            d=day,
            c=calories,
            p=protein,
        )

    async def goal(self, who: Member, title: str, unit: str, target: float, target_date: dt.date | None = None) -> None:
        await self.sql(
            "INSERT INTO user_goals (user_id, goal_type, status, title, target_unit, target_value, target_date) "
            "VALUES (:u, 'nutrition', 'active', :t, :n, :v, :d)",
            u=who.user_id,
            t=title,
            n=unit,
            v=target,
            d=target_date,
        )

    async def as_(self, who: Member) -> AsyncSession:
        await act_as_user(self.session, who.user_id)
        return self.session


@pytest.fixture
async def world(session) -> World:
    return World(session)


@pytest.fixture
async def pair(world) -> tuple[Member, Member]:
    coach = await world.person("coach_kim", UserRole.COACH)
    client = await world.person("sam")
    await world.link(coach, client)
    return coach, client


# --- invites -----------------------------------------------------------------------------------------


async def test_invite_accept_opens_the_link_once(world):
    coach = await world.person("coach_kim", UserRole.COACH)
    sam, ana = await world.person("sam"), await world.person("ana")
    made = await coaching.create_invite(await world.as_(coach), coach, NOW)
    assert len(made.code) == 8 and made.expires_at == NOW + dt.timedelta(days=7)

    assert (await coaching.preview_invite(await world.as_(sam), sam, made.code, NOW)).username == "coach_kim"
    joined = await coaching.accept_invite(await world.as_(sam), sam, made.code, NOW)
    assert joined.coach.username == "coach_kim" and joined.coach_chat_id is None  # the coach has no chat linked
    link = await world.sql(
        "SELECT status || ' ' || started_at::text FROM coach_clients WHERE client_id = :u", u=sam.user_id
    )
    assert link.startswith("active 2026-11-25")
    assert await world.sql("SELECT used_by FROM coach_invites WHERE code = :c", c=made.code) == sam.user_id
    with pytest.raises(CoachingError, match="already used"):
        await coaching.accept_invite(await world.as_(ana), ana, made.code, NOW)
    with pytest.raises(CoachingError, match="already your coach"):
        second = await coaching.create_invite(await world.as_(coach), coach, NOW)
        await coaching.preview_invite(await world.as_(sam), sam, second.code, NOW)
    actions = await world.sql(
        "SELECT string_agg(action || ':' || table_name, ',' ORDER BY id) FROM audit_log WHERE user_id IN (:c, :s)",
        c=coach.user_id,
        s=sam.user_id,
    )
    assert actions == "create:coach_invites,use:coach_invites,start:coach_clients,create:coach_invites"


async def test_invites_that_cannot_be_accepted(world):
    coach = await world.person("coach_kim", UserRole.COACH)
    sam = await world.person("sam")
    made = await coaching.create_invite(await world.as_(coach), coach, NOW)
    with pytest.raises(CoachingError, match="your own invite"):
        await coaching.preview_invite(await world.as_(coach), coach, made.code, NOW)
    with pytest.raises(CoachingError, match="has expired"):
        await coaching.accept_invite(await world.as_(sam), sam, made.code, NOW + dt.timedelta(days=7))
    with pytest.raises(CoachingError, match="don't know the invite code"):
        await coaching.accept_invite(await world.as_(sam), sam, "ABCDEFGH", NOW)
    with pytest.raises(CoachingError, match="not an invite code"):
        coaching.normalize_code("hello")
    assert coaching.normalize_code(f" {made.code[:4].lower()} {made.code[4:]} ") == made.code
    await world.sql("UPDATE users SET role = 'user' WHERE id = :c", c=coach.user_id)
    with pytest.raises(CoachingError, match="not a coach any more"):
        await coaching.accept_invite(await world.as_(sam), sam, made.code, NOW)
    # After a refusal the session acts as the person again, not as system.
    assert await world.session.scalar(text("SELECT count(*) FROM coach_invites")) == 0


async def test_only_coaches_make_invites_and_the_policy_agrees(world):
    sam = await world.person("sam")
    with pytest.raises(NotACoach):
        await coaching.create_invite(await world.as_(sam), sam, NOW)
    await world.as_(sam)
    with pytest.raises(DBAPIError, match="row-level security"):
        async with world.session.begin_nested():
            await world.session.execute(
                text(
                    "INSERT INTO coach_invites (code, coach_id, created_at, expires_at) "
                    "VALUES ('ABCDEFGH', :u, now(), now() + interval '1 day')"
                ),
                {"u": sam.user_id},
            )


async def test_an_ended_link_is_history_and_joining_again_adds_a_new_one(world, pair):
    coach, sam = pair
    ended = await coaching.leave_coach(await world.as_(sam), sam, None, NOW)
    assert ended.other.username == "coach_kim"
    with pytest.raises(NotYourClient):
        await coaching.find_client(await world.as_(coach), coach, "sam")
    made = await coaching.create_invite(await world.as_(coach), coach, NOW)
    await coaching.accept_invite(await world.as_(sam), sam, made.code, NOW)
    statuses = await world.sql(
        "SELECT string_agg(status::text, ',' ORDER BY id) FROM coach_clients WHERE client_id = :u", u=sam.user_id
    )
    assert statuses == "ended,active"


async def test_leave_names_the_coach_when_there_are_several(world, pair):
    coach, sam = pair
    other = await world.person("coach_lee", UserRole.COACH)
    await world.link(other, sam)
    with pytest.raises(CoachingError, match="several coaches"):
        await coaching.leave_coach(await world.as_(sam), sam, None, NOW)
    with pytest.raises(CoachingError, match="@nobody is not your coach"):
        await coaching.leave_coach(await world.as_(sam), sam, "@nobody", NOW)
    assert (await coaching.leave_coach(await world.as_(sam), sam, "@Coach_Lee", NOW)).other.username == "coach_lee"
    with pytest.raises(NotYourClient):
        await coaching.drop_client(await world.as_(other), other, "sam", NOW)


# --- sessions and action items -----------------------------------------------------------------------


async def test_sessions_action_items_and_ratings(world, pair):
    coach, sam = pair
    draft = SessionDraft(
        session_date=days_ago(10), action_items=("walk", "protein"), next_session_date=days_ago(3), coach_feedback="ok"
    )
    recorded = await coaching.record_session(await world.as_(coach), coach, "@SAM", draft)
    session_id = recorded.session.id
    [group] = await coaching.clients_actions(await world.as_(coach), coach, TODAY)
    assert [(i.text, i.done, i.overdue) for i in group.items] == [("walk", False, True), ("protein", False, True)]

    mine = await coaching.my_open_actions(await world.as_(sam), sam, TODAY)
    assert [(i.session_id, i.number) for i in mine] == [(session_id, 1), (session_id, 2)]
    await coaching.mark_action_done(world.session, sam, session_id, 2, TODAY)
    await coaching.rate_session(world.session, sam, session_id, 9)
    with pytest.raises(CoachingError, match="1-10"):
        await coaching.rate_session(world.session, sam, session_id, 11)
    await world.session.flush()
    [group] = await coaching.clients_actions(await world.as_(coach), coach, TODAY)
    assert [(i.text, i.done) for i in group.items] == [("walk", False), ("protein", True)]

    with pytest.raises(CoachingError, match="not yours"):
        await coaching.mark_action_done(world.session, coach, session_id, 1, TODAY)  # the coach cannot tick for sam
    await coaching.mark_action_done(await world.as_(sam), sam, session_id, 1, TODAY)
    await world.session.flush()
    row = (
        await world.session.execute(
            text("SELECT completed, user_rating, done_action_items FROM coaching_sessions WHERE id = :i"),
            {"i": session_id},
        )
    ).one()
    assert tuple(row) == (True, 9, [2, 1])
    [group] = await coaching.clients_actions(await world.as_(coach), coach, TODAY)
    assert all(item.done for item in group.items)  # the latest session stays listed once complete


async def test_a_coach_cannot_write_a_session_for_someone_else_even_in_raw_sql(world, pair):
    coach, _sam = pair
    stranger = await world.person("stranger")
    with pytest.raises(NotYourClient, match="@stranger is not your client"):
        await coaching.record_session(await world.as_(coach), coach, "stranger", SessionDraft(session_date=TODAY))
    await world.as_(coach)
    with pytest.raises(DBAPIError, match="row-level security"):
        async with world.session.begin_nested():
            await world.session.execute(
                text("INSERT INTO coaching_sessions (user_id, coach_id, session_date) VALUES (:u, :c, :d)"),
                {"u": stranger.user_id, "c": coach.user_id, "d": TODAY},
            )


# --- the overview and the review ---------------------------------------------------------------------


async def test_overview_figures_and_attention_order(world, pair):
    coach, sam = pair
    ana, bob = await world.person("ana", timezone="Pacific/Auckland"), await world.person("bob")
    await world.link(coach, ana)
    await world.link(coach, bob)
    await world.weight(sam, days_ago(7), 182)
    await world.weight(sam, days_ago(3), 181)
    await world.weight(sam, TODAY, 180.5)
    await world.weight(sam, days_ago(9), 190)  # outside the 7 days
    await world.lift(sam, days_ago(1), "Squat", 5, 5, 225)
    await world.lift(sam, days_ago(6), "Squat", 5, 5, 215)
    await world.lift(sam, days_ago(8), "Squat", 5, 5, 205)
    await world.goal(sam, "Protein 160 g daily", "g/day", 160)
    await world.goal(sam, "Calories 2200 daily", "kcal/day", 2200)
    await world.meal(sam, TODAY, 2100, 170)  # on goal
    await world.meal(sam, days_ago(1), 2500, 170)  # calories more than 10% over
    await world.meal(sam, days_ago(2), 2200, 100)  # protein short
    await world.sql(
        "INSERT INTO coaching_sessions (user_id, coach_id, session_date, action_items, done_action_items, next_session_date) "
        "VALUES (:u, :c, :d, '{a,b,c}', '{2}', :n)",
        u=ana.user_id,
        c=coach.user_id,
        d=days_ago(10),
        n=days_ago(2),
    )
    await world.meal(ana, days_ago(1), 1800, 90)  # her today is already Nov 26 in Auckland
    lines = await review.client_overview(await world.as_(coach), coach, NOW)
    assert [line.client.username for line in lines] == ["bob", "ana", "sam"]  # never logged, 2 days silent, then sam
    bob_line, ana_line, sam_line = lines
    assert bob_line.flagged and bob_line.last_log is None and bob_line.days_on_goal is None
    assert ana_line.today == dt.date(2026, 11, 26) and ana_line.days_since_log == 2 and not ana_line.flagged
    assert (ana_line.overdue_actions, ana_line.overdue_goals) == (2, 0)
    assert sam_line.last_log == TODAY and sam_line.weight_change_lbs == -1.5
    assert (sam_line.workouts, sam_line.days_on_goal) == (2, 1)
    await world.sql("UPDATE user_goals SET target_date = :d WHERE user_id = :u", d=days_ago(1), u=sam.user_id)
    await world.sql("DELETE FROM meal_logs WHERE user_id = :u", u=ana.user_id)
    lines = await review.client_overview(await world.as_(coach), coach, NOW)
    assert [line.client.username for line in lines] == ["ana", "bob", "sam"]  # flagged with 2 overdue items first
    assert lines[-1].overdue_goals == 2


async def test_overview_and_review_are_for_coaches_and_their_clients(world, pair):
    _coach, sam = pair
    with pytest.raises(NotACoach):
        await review.client_overview(await world.as_(sam), sam, NOW)
    other_coach = await world.person("coach_lee", UserRole.COACH)
    assert await review.client_overview(await world.as_(other_coach), other_coach, NOW) == []
    with pytest.raises(NotYourClient):
        await review.client_review(world.session, other_coach, "sam", review.Period.WEEK, NOW)


async def test_review_trends_records_and_averages(world, pair):
    coach, sam = pair
    await world.weight(sam, days_ago(6), 182, 20)
    await world.weight(sam, days_ago(2), 181)
    await world.weight(sam, TODAY, 180, 19.5)
    await world.lift(sam, days_ago(40), "Bench Press", 3, 5, 200)  # before the month: 233.3 estimated
    await world.lift(sam, days_ago(20), "Bench Press", 1, 1, 240)  # in the month, not the week: the best before it
    await world.lift(sam, days_ago(1), "bench press", 3, 3, 230)  # 253 estimated: a record
    await world.lift(sam, days_ago(1), "Deadlift", 1, 5, 300)  # first ever: no record
    await world.meal(sam, TODAY, 2000, 150)
    await world.meal(sam, TODAY, 400, 30)
    await world.meal(sam, days_ago(3), 1800, 120)
    await world.goal(sam, "Protein", "g/day", 160, target_date=days_ago(1))
    await coaching.record_session(
        await world.as_(coach),
        coach,
        "sam",
        SessionDraft(
            session_date=days_ago(1), topics=("sleep",), action_items=("walk",), next_session_date=days_ago(-6)
        ),
    )
    week = await review.client_review(world.session, coach, "sam", review.Period.WEEK, NOW)
    assert (week.first_day, week.last_day) == (days_ago(6), TODAY)
    assert (week.body.weigh_ins, week.body.weight_change_lbs, week.body.body_fat_change) == (3, -2.0, -0.5)
    assert (week.training.sessions, week.training.sets, week.training.volume_lbs) == (2, 4, 3570.0)
    [record] = week.training.records
    assert record.exercise.lower() == "bench press"
    assert record.estimated_1rm_lbs == pytest.approx(253) and record.previous_lbs == 240
    assert (week.nutrition.days, week.nutrition.calories, week.nutrition.protein_g) == (2, 2100, 150)
    [goal] = week.goals
    assert goal.overdue
    assert [item.text for item in week.open_actions] == ["walk"]
    assert week.last_session.topics == ("sleep",) and week.last_session.days_until_next_session == 6
    month = await review.client_review(world.session, coach, "sam", review.Period.MONTH, NOW)
    assert month.training.sessions == 3 and [r.previous_lbs for r in month.training.records] == [
        pytest.approx(233.33, 0.01)
    ]
