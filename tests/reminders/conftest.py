"""A database of its own for the reminder tests, people built with plain SQL, and a fake clock.

Scans commit (claims must be visible to a second scanner), so these tests do not
run inside a rolled-back transaction: every test ends by emptying the tables.
People are inserted as a superuser (past row-level security) without bcrypt, so
a test can set up a dozen people in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Engine, text

from bot.runtime import make_runtime
from fitness_core.db import DatabaseUrls
from fitness_core.services import reminders
from handlers.common import Runtime
from tests.databases import engine_for, migrated
from tests.e2e.harness import FakeClock

FIRST_CHAT = 9_000_000
JOINED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def local(zone: str, wall: str) -> dt.datetime:
    """A wall-clock time in a zone as an aware UTC instant ("2026-11-25 20:00" in Europe/Berlin)."""
    return dt.datetime.fromisoformat(wall).replace(tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(dt.UTC)


@pytest.fixture(scope="session")
def reminders_database(data_dir) -> DatabaseUrls:
    return migrated(data_dir, "fitbot_reminders")


@pytest.fixture(scope="session")
def reminders_admin(reminders_database) -> Iterator[Engine]:
    with engine_for(reminders_database.admin) as engine:
        yield engine


@dataclass
class World:
    """People and their data, straight into the tables; reads back as a superuser."""

    admin: Engine
    runtime: Runtime
    clock: FakeClock
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def execute(self, sql: str, **params: Any) -> None:
        with self.admin.begin() as conn:
            conn.execute(text(sql), params)

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.admin.connect() as conn:
            return conn.execute(text(sql), params).all()

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.admin.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def person(
        self,
        zone: str = "UTC",
        *,
        name: str | None = None,
        joined: dt.datetime | None = None,
        linked: bool = True,
        **settings: Any,
    ) -> int:
        """A user with settings (defaults as for a new account, e.g. check-in at 20:00) and a linked chat.

        They joined on JOINED unless told otherwise, so they are not yet "inactive" in November's tests.
        """
        n = next(self._ids)
        with self.admin.begin() as conn:
            user_id = conn.scalar(
                text(
                    "INSERT INTO users (username, email, password_hash, full_name, created_at) "
                    "VALUES (:u, :e, 'not-a-hash', :name, :joined) RETURNING id"
                ),
                {
                    "u": f"person{n}",
                    "e": f"person{n}@example.com",
                    "name": name,
                    "joined": joined or JOINED,
                },
            )
            columns = {"user_id": user_id, "timezone": zone, **settings}
            conn.execute(
                text(
                    f"INSERT INTO user_settings ({', '.join(columns)}) VALUES ({', '.join(f':{c}' for c in columns)})"
                ),
                columns,
            )
            if linked:
                conn.execute(
                    text("INSERT INTO telegram_links (user_id, telegram_user_id, chat_id) VALUES (:u, :t, :t)"),
                    {"u": user_id, "t": self.chat(user_id)},
                )
        return user_id

    @staticmethod
    def chat(user_id: int) -> int:
        return FIRST_CHAT + user_id

    def weigh_in(self, user_id: int, day: dt.date, lbs: float = 180.0) -> None:
        self.execute(
            "INSERT INTO health_metrics (user_id, recorded_date, weight_lbs) VALUES (:u, :d, :w)",
            u=user_id,
            d=day,
            w=lbs,
        )

    def workout(self, user_id: int, day: dt.date) -> None:
        self.execute(
            "INSERT INTO workout_sessions (user_id, session_date, session_type) VALUES (:u, :d, 'strength')",
            u=user_id,
            d=day,
        )

    def meal(self, user_id: int, day: dt.date, calories: int = 500, protein: float = 30) -> None:
        self.execute(
            "INSERT INTO meal_logs (user_id, meal_date, meal_type, calories, protein_g) VALUES (:u, :d, 'lunch', :c, :p)",
            u=user_id,
            d=day,
            c=calories,
            p=protein,
        )

    def logged_message(self, user_id: int, at: dt.datetime, about: dt.date) -> None:
        self.execute(
            "INSERT INTO logged_messages (user_id, chat_id, message_id, text, logged_date, created_at) "
            "VALUES (:u, :c, (SELECT count(*) + 1 FROM logged_messages), 'ran 5k', :d, :at)",
            u=user_id,
            c=self.chat(user_id),
            d=about,
            at=at,
        )

    def goal(
        self, user_id: int, target: dt.date, *, progress: float = 50, status: str = "active", title: str = "Run 10k"
    ) -> int:
        with self.admin.begin() as conn:
            return conn.scalar(
                text(
                    "INSERT INTO user_goals (user_id, goal_type, title, target_date, progress_percentage, status, "
                    "start_date) VALUES (:u, 'endurance', :t, :d, :p, :s, '2026-01-01') RETURNING id"
                ),
                {"u": user_id, "t": title, "d": target, "p": progress, "s": status},
            )

    def coach(self, coach_id: int, client_id: int, status: str = "active") -> None:
        self.execute(
            "INSERT INTO coach_clients (coach_id, client_id, status) VALUES (:c, :u, :s)",
            c=coach_id,
            u=client_id,
            s=status,
        )

    def session(
        self,
        client_id: int,
        coach_id: int,
        held: dt.date,
        next_date: dt.date,
        *,
        items: tuple[str, ...] = ("Walk 8,000 steps", "Protein at every meal"),
        done: tuple[int, ...] = (),
        completed: bool = False,
    ) -> int:
        with self.admin.begin() as conn:
            return conn.scalar(
                text(
                    "INSERT INTO coaching_sessions (user_id, coach_id, session_date, next_session_date, action_items, "
                    "done_action_items, completed) VALUES (:u, :c, :h, :n, :i, :d, :done) RETURNING id"
                ),
                {
                    "u": client_id,
                    "c": coach_id,
                    "h": held,
                    "n": next_date,
                    "i": list(items),
                    "d": list(done),
                    "done": completed,
                },
            )

    def settings(self, user_id: int) -> Any:
        return self.rows("SELECT * FROM user_settings WHERE user_id = :u", u=user_id)[0]

    def deliveries(self, user_id: int | None = None) -> list[Any]:
        where = "" if user_id is None else "WHERE user_id = :u"
        return self.rows(f"SELECT * FROM reminder_deliveries {where} ORDER BY id", u=user_id)

    async def due(self, now: dt.datetime) -> set[tuple[str, int, int, dt.date]]:
        """(kind, person, subject, local date) of everything a scan at `now` would claim."""
        async with self.runtime.transaction() as session:
            items = await reminders.due(session, now)
        return {(r.kind.value, r.user_id, r.subject_id, r.local_date) for r in items}

    async def kinds_due(self, now: dt.datetime, user_id: int) -> set[str]:
        return {kind for kind, person, _, _ in await self.due(now) if person == user_id}

    async def scan(self, now: dt.datetime, **options: Any) -> reminders.Batch:
        async with self.runtime.transaction() as session:
            return await reminders.scan(session, now, **options)

    async def send(self, now: dt.datetime, **options: Any) -> list[reminders.Notice]:
        """Scan, and record every notice as sent (as if Telegram took them all)."""
        notices = (await self.scan(now, **options)).notices
        await self.record(now, [reminders.Outcome(n.delivery_id, reminders.Result.SENT, message_id=1) for n in notices])
        return notices

    async def record(self, now: dt.datetime, outcomes: list[reminders.Outcome]) -> None:
        async with self.runtime.transaction() as session:
            await reminders.record(session, now, outcomes)


@pytest.fixture
async def world(reminders_database, reminders_admin) -> AsyncIterator[World]:
    clock = FakeClock()
    runtime = make_runtime(reminders_database.app, clock=clock, pool_size=4)
    try:
        yield World(reminders_admin, runtime, clock)
    finally:
        await runtime.close()
        with reminders_admin.begin() as conn:
            conn.execute(text("TRUNCATE users, pending_messages CASCADE"))
