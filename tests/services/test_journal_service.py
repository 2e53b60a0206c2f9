"""The journal service and its database function (journal_log, migration 006) as the bot runs them.

Each test runs as the application role acting for one person (row-level
security on), inside one transaction that is rolled back. Messages are parsed
with the real parser, so what reaches journal_log is what the bot sends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core.db import APP_ROLE, user_context
from fitness_core.parsing import parse_message
from fitness_core.services import journal
from tests.databases import rolled_back_session

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 18, 0, tzinfo=dt.UTC)


class Person:
    """Someone logging by chat: each message gets the next message id in their chat."""

    def __init__(self, session: AsyncSession, user_id: int) -> None:
        self.session = session
        self.user_id = user_id
        self.message_id = 0

    async def log(self, message: str, *, message_id: int | None = None) -> journal.Logged:
        result = parse_message(message, today=TODAY)
        assert not result.errors and not result.questions, message
        if message_id is None:
            self.message_id += 1
            message_id = self.message_id
        return await journal.log(
            self.session, self.user_id, result.entries, chat_id=self.user_id, message_id=message_id, text=message
        )

    async def undo(self) -> journal.Undone:
        return await journal.undo(self.session, self.user_id, None, now=NOW)

    async def rows(self, sql: str) -> list:
        return list(await self.session.execute(text(sql)))


@pytest.fixture
async def person(database) -> AsyncIterator[Person]:
    async with rolled_back_session(database.admin) as session:
        user_id = (
            await session.execute(
                text(
                    "INSERT INTO users (username, email, password_hash) VALUES ('jordan', 'jordan@example.com', 'x') RETURNING id"
                )
            )
        ).scalar_one()
        await session.execute(text(f"SET LOCAL ROLE {APP_ROLE}"))
        await session.execute(user_context(user_id))
        yield Person(session, user_id)


async def test_a_merge_reports_only_what_changed_and_the_journal_and_audit_agree(person):
    first = await person.log("weight 182 bf 18")
    again = await person.log("weight 182.001 bf 17.5")  # 182.001 is 182.00 as stored: not a change

    [saved] = again.saved
    assert saved.values == {"weight_lbs": 182.0, "body_fat_percentage": 17.5}
    assert saved.previous == {"body_fat_percentage": 18.0}
    [changes] = (await person.rows(f"SELECT changes FROM logged_messages WHERE id = {again.logged_message_id}"))[0]
    assert changes == [
        {
            "table": "health_metrics",
            "id": changes[0]["id"],
            "action": "update",
            "before": {"body_fat_percentage": 18.0},
            "after": {"body_fat_percentage": 17.5},
            "date": "2026-11-25",
        }
    ]
    audits = await person.rows("SELECT action, table_name, row_id, details FROM audit_log ORDER BY id")
    assert [(a.action, a.table_name) for a in audits] == [
        ("insert", "health_metrics"),
        ("insert", "logged_messages"),
        ("update", "health_metrics"),
        ("insert", "logged_messages"),
    ]
    assert audits[2].details == {
        "before": {"body_fat_percentage": 18.0},
        "after": {"body_fat_percentage": 17.5},
        "logged_message_id": again.logged_message_id,
    }
    assert audits[3].row_id == str(again.logged_message_id) and first.logged_message_id < again.logged_message_id


async def test_a_merge_moves_updated_at_and_an_unchanged_log_records_nothing(person):
    await person.log("weight 182")
    await person.session.execute(text("UPDATE health_metrics SET updated_at = now() - interval '1 hour'"))
    same = await person.log("weight 182")
    assert same.saved[0].previous == {}
    assert (await person.rows(f"SELECT changes FROM logged_messages WHERE id = {same.logged_message_id}"))[0][0] == []
    assert (await person.rows("SELECT updated_at < now() - interval '59 minutes' FROM health_metrics"))[0][0]
    await person.log("weight 181")
    assert (await person.rows("SELECT updated_at = now() FROM health_metrics"))[0][0]


async def test_the_same_chat_message_is_written_once(person):
    assert not (await person.log("lunch salad 450 kcal", message_id=77)).duplicate
    assert (await person.log("lunch salad 450 kcal", message_id=77)).duplicate
    assert (await person.rows("SELECT count(*) FROM meal_logs"))[0][0] == 1
    assert (await person.rows("SELECT count(*) FROM audit_log"))[0][0] == 2


async def test_meals_are_rows_of_their_own(person):
    logged = await person.log("lunch chicken salad 450 kcal 40p\nwater 16 oz")
    assert [saved.kind for saved in logged.saved] == ["meal", "meal"]
    rows = await person.rows("SELECT meal_type, calories, protein_g, water_oz FROM meal_logs ORDER BY id")
    assert rows == [("lunch", 450, 40, None), ("other", None, None, 16)]


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        (["bench 3x5 @ 185"], "strength"),
        (["treadmill 30 min"], "cardio"),  # a catalogue definition in the cardio category
        (["rucking 3 mi"], "cardio"),  # not in the catalogue: a distance makes it cardio
        (["ran 5k", "bench 3x5 @ 185"], "mixed"),
        (["ran 5k", "rowed 2k"], "cardio"),
        (["workout 45 min", "ran 5k"], "cardio"),  # a session with no exercises yet takes the first one's kind
        (["bench 3x5 @ 185", "recovery session", "ran 5k"], "recovery"),  # a type someone chose is kept
    ],
)
async def test_the_session_type_follows_from_the_exercises(person, messages, expected):
    for message in messages:
        await person.log(message)
    assert await person.rows("SELECT session_type FROM workout_sessions") == [(expected,)]


async def test_exercises_keep_their_order_and_undo_restores_the_type(person):
    await person.log("bench 3x5 @ 185\nsquat 5x5 225")
    await person.log("ran 5k")
    rows = await person.rows("SELECT exercise_name, order_index FROM exercise_logs ORDER BY order_index")
    assert [r.order_index for r in rows] == [0, 1, 2]
    undone = await person.undo()
    assert undone.status is journal.UndoStatus.UNDONE
    assert await person.rows("SELECT session_type FROM workout_sessions") == [("strength",)]
    assert (await person.rows("SELECT count(*) FROM exercise_logs"))[0][0] == 2
    await person.undo()
    assert (await person.rows("SELECT count(*) FROM workout_sessions"))[0][0] == 0
