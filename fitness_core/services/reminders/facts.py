"""What the claimed reminders talk about, loaded for the whole batch at once.

One statement per kind of fact (recipients, goals, sessions, overdue items per
coach, week figures, clients per coach), whatever the batch size, so a batch
of 500 reminders costs a handful of queries, not 500. Values stay in storage
units; fitness_core.services.reminders.messages writes them out.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core.models.reminder import ReminderKind
from fitness_core.services.reminders.deliveries import Reminder
from fitness_core.services.reminders.kinds import overdue_items
from fitness_core.units import UnitSystem

WEEK_DAYS = 7

_NAME = "coalesce(NULLIF({0}.full_name, ''), {0}.username)"


@dataclass(frozen=True)
class Recipient:
    chat_id: int
    units: UnitSystem
    timezone: str

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(zoneinfo.ZoneInfo(self.timezone)).date()


@dataclass(frozen=True)
class Goal:
    title: str
    target_date: dt.date
    progress: float


@dataclass(frozen=True)
class Session:
    client_id: int
    client: str
    coach: str
    session_date: dt.date
    next_session_date: dt.date
    open_items: tuple[str, ...]


@dataclass(frozen=True)
class Overdue:
    """A client's session whose action items are overdue, for the coach's digest."""

    client: str
    session_date: dt.date
    next_session_date: dt.date
    open_items: int


@dataclass(frozen=True)
class Week:
    """Seven local days ending on `last_day`."""

    last_day: dt.date
    days_logged: int = 0
    workouts: int = 0
    first_weight_lbs: float | None = None
    last_weight_lbs: float | None = None
    food_days: int = 0
    calories_per_day: float = 0.0
    protein_g_per_day: float = 0.0

    @property
    def first_day(self) -> dt.date:
        return self.last_day - dt.timedelta(days=WEEK_DAYS - 1)


@dataclass(frozen=True)
class Client:
    name: str
    week: Week


@dataclass
class Facts:
    recipients: dict[int, Recipient] = field(default_factory=dict)
    goals: dict[int, Goal] = field(default_factory=dict)
    sessions: dict[int, Session] = field(default_factory=dict)
    overdue: dict[tuple[int, dt.date], list[Overdue]] = field(default_factory=lambda: defaultdict(list))
    weeks: dict[tuple[int, dt.date], Week] = field(default_factory=dict)
    clients: dict[tuple[int, dt.date], list[Client]] = field(default_factory=lambda: defaultdict(list))


def _of(reminders: Iterable[Reminder], *kinds: ReminderKind) -> list[Reminder]:
    return [r for r in reminders if r.kind in kinds]


_RECIPIENTS = text("""
    SELECT st.user_id, st.unit_system, st.timezone, link.chat_id
    FROM user_settings st JOIN telegram_links link ON link.user_id = st.user_id
    WHERE st.user_id = ANY(CAST(:ids AS integer[]))""")

_GOALS = text("""
    SELECT id, title, target_date, progress_percentage::float AS progress FROM user_goals
    WHERE id = ANY(CAST(:ids AS integer[]))""")

_SESSIONS = text(f"""
    SELECT cs.id, cs.user_id, {_NAME.format("client")} AS client, {_NAME.format("coach")} AS coach,
           cs.session_date, cs.next_session_date,
           ARRAY(SELECT item FROM unnest(cs.action_items) WITH ORDINALITY AS i(item, number)
                 WHERE NOT i.number = ANY(cs.done_action_items) ORDER BY i.number) AS open_items
    FROM coaching_sessions cs JOIN users client ON client.id = cs.user_id JOIN users coach ON coach.id = cs.coach_id
    WHERE cs.id = ANY(CAST(:ids AS integer[]))""")

_OVERDUE = text(f"""
    SELECT p.coach_id, p.day, {_NAME.format("client")} AS client, cs.session_date, cs.next_session_date,
           cardinality(cs.action_items) - cardinality(cs.done_action_items) AS open_items
    FROM unnest(CAST(:coaches AS integer[]), CAST(:days AS date[])) AS p(coach_id, day)
    JOIN coaching_sessions cs ON cs.coach_id = p.coach_id AND {overdue_items("p.day")}
    JOIN users client ON client.id = cs.user_id
    ORDER BY p.coach_id, p.day, cs.next_session_date, client""")

_CLIENTS = text(f"""
    SELECT p.coach_id, p.day, client.id AS client_id, {_NAME.format("client")} AS client
    FROM unnest(CAST(:coaches AS integer[]), CAST(:days AS date[])) AS p(coach_id, day)
    JOIN coach_clients cc ON cc.coach_id = p.coach_id AND cc.status = 'active'
    JOIN users client ON client.id = cc.client_id
    ORDER BY p.coach_id, p.day, client""")

# Per (person, last day): the week's figures, each from a range of a (user, date) index.
_SPAN = f"BETWEEN p.day - {WEEK_DAYS - 1} AND p.day"
_WEEKS = text(f"""
    SELECT p.user_id, p.day,
           (SELECT count(*) FROM (
                SELECT recorded_date FROM health_metrics WHERE user_id = p.user_id AND recorded_date {_SPAN}
                UNION SELECT session_date FROM workout_sessions WHERE user_id = p.user_id AND session_date {_SPAN}
                UNION SELECT meal_date FROM meal_logs WHERE user_id = p.user_id AND meal_date {_SPAN}
           ) logged) AS days_logged,
           (SELECT count(*) FROM workout_sessions
            WHERE user_id = p.user_id AND session_date {_SPAN}) AS workouts,
           w.first_weight, w.last_weight, n.food_days, n.calories, n.protein
    FROM unnest(CAST(:people AS integer[]), CAST(:days AS date[])) AS p(user_id, day)
    CROSS JOIN LATERAL (
        SELECT (array_agg(weight_lbs::float ORDER BY recorded_date))[1] AS first_weight,
               (array_agg(weight_lbs::float ORDER BY recorded_date DESC))[1] AS last_weight
        FROM health_metrics
        WHERE user_id = p.user_id AND recorded_date {_SPAN} AND weight_lbs IS NOT NULL
    ) w
    CROSS JOIN LATERAL (
        SELECT count(DISTINCT meal_date) FILTER (WHERE calories IS NOT NULL OR protein_g IS NOT NULL) AS food_days,
               coalesce(sum(calories), 0)::float AS calories, coalesce(sum(protein_g), 0)::float AS protein
        FROM meal_logs WHERE user_id = p.user_id AND meal_date {_SPAN}
    ) n""")


async def _weeks(session: AsyncSession, pairs: Sequence[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], Week]:
    if not pairs:
        return {}
    people, days = zip(*pairs, strict=True)
    rows = await session.execute(_WEEKS, {"people": list(people), "days": list(days)})
    return {
        (row.user_id, row.day): Week(
            last_day=row.day,
            days_logged=row.days_logged,
            workouts=row.workouts,
            first_weight_lbs=row.first_weight,
            last_weight_lbs=row.last_weight,
            food_days=row.food_days,
            calories_per_day=row.calories / row.food_days if row.food_days else 0.0,
            protein_g_per_day=row.protein / row.food_days if row.food_days else 0.0,
        )
        for row in rows
    }


def _coach_days(reminders: Sequence[Reminder]) -> dict[str, list]:
    return {"coaches": [r.user_id for r in reminders], "days": [r.local_date for r in reminders]}


async def load(session: AsyncSession, reminders: Sequence[Reminder]) -> Facts:
    """Everything the batch's messages need; queries for kinds not in the batch are skipped."""
    facts = Facts()
    rows = await session.execute(_RECIPIENTS, {"ids": sorted({r.user_id for r in reminders})})
    facts.recipients = {row.user_id: Recipient(row.chat_id, UnitSystem(row.unit_system), row.timezone) for row in rows}

    goal_ids = sorted({r.subject_id for r in _of(reminders, ReminderKind.GOAL_OVERDUE, ReminderKind.GOAL_HEADS_UP)})
    if goal_ids:
        facts.goals = {
            row.id: Goal(row.title, row.target_date, row.progress)
            for row in await session.execute(_GOALS, {"ids": goal_ids})
        }

    about_sessions = _of(
        reminders, ReminderKind.SESSION_EVE, ReminderKind.SESSION_DAY, ReminderKind.ACTION_ITEMS_OVERDUE
    )
    if about_sessions:
        rows = await session.execute(_SESSIONS, {"ids": sorted({r.subject_id for r in about_sessions})})
        facts.sessions = {
            row.id: Session(
                row.user_id, row.client, row.coach, row.session_date, row.next_session_date, tuple(row.open_items)
            )
            for row in rows
        }

    digests = _of(reminders, ReminderKind.COACH_DIGEST)
    if digests:
        for row in await session.execute(_OVERDUE, _coach_days(digests)):
            facts.overdue[row.coach_id, row.day].append(
                Overdue(row.client, row.session_date, row.next_session_date, row.open_items)
            )

    weekly = _of(reminders, ReminderKind.COACH_WEEKLY)
    client_rows = list(await session.execute(_CLIENTS, _coach_days(weekly))) if weekly else []
    pairs = [(r.user_id, r.local_date) for r in _of(reminders, ReminderKind.WEEKLY_SUMMARY)]
    pairs += [(row.client_id, row.day) for row in client_rows]
    facts.weeks = await _weeks(session, sorted(set(pairs)))
    for row in client_rows:
        facts.clients[row.coach_id, row.day].append(Client(row.client, facts.weeks[row.client_id, row.day]))
    return facts
