"""Drive the real Application through the local Bot API server, as people in a chat would."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, text
from telegram.ext import Application

from bot.local_api import LocalBotApi, RecordedMessage
from handlers.common import RUNTIME_KEY

PASSWORD = "correct horse battery"


@dataclass
class FakeClock:
    """The bot's only clock in the tests: fixed until a test moves it."""

    now: dt.datetime = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Harness:
    api: LocalBotApi
    app: Application
    clock: FakeClock
    admin: Engine
    people: dict[int, Person] = field(default_factory=dict)

    async def settle(self, timeout: float = 10.0) -> None:
        """Until every delivered update is handled and the bot has stopped talking."""
        async with asyncio.timeout(timeout):
            await self.api.wait_for_updates_consumed(timeout=None)
            await self.app.update_queue.join()
            await self.api.wait_for_quiet(0.05, timeout=None)

    def person(self, user_id: int, first_name: str = "Sam") -> Person:
        if user_id not in self.people:
            self.api.register_user(user_id, first_name=first_name, username=f"user{user_id}")
            self.people[user_id] = Person(self, user_id)
        return self.people[user_id]

    def query(self, sql: str, **params: Any) -> list[Any]:
        """Read the database as a superuser (past row-level security), for assertions."""
        with self.admin.connect() as conn:
            return conn.execute(text(sql), params).all()

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.admin.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    @contextmanager
    def counting_statements(self) -> Iterator[list[str]]:
        """Every statement the bot's own engine sends through SQLAlchemy while the block runs.

        The two per-message statements of fitness_core.driver go straight to asyncpg
        and are not among them; they are fixed per update, never one per row.
        """
        engine = self.app.bot_data[RUNTIME_KEY].engine.sync_engine
        statements: list[str] = []

        def count(conn, cursor, statement, parameters, context, executemany) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", count)


@dataclass
class Person:
    harness: Harness
    user_id: int

    @property
    def chat_id(self) -> int:
        return self.user_id

    def _newest_id(self) -> int:
        messages = self.harness.api.messages(self.chat_id)
        return messages[-1].message_id if messages else 0

    async def say(self, text: str) -> list[RecordedMessage]:
        """Send text (a /command gets its entity) and return every bot message it caused."""
        before = self._newest_id()
        self.harness.api.user_sends_text(self.user_id, text)
        await self.harness.settle()
        return [m for m in self.harness.api.bot_messages(self.chat_id) if m.message_id > before]

    async def ask(self, text: str) -> RecordedMessage:
        """Send text and return the single reply (fails when there is not exactly one)."""
        replies = await self.say(text)
        assert len(replies) == 1, [r.shown_text for r in replies]
        return replies[0]

    async def press(self, label: str, message: RecordedMessage | None = None) -> RecordedMessage:
        """Press the button with this label on a bot message (default: the newest with buttons)."""
        api = self.harness.api
        target = message or next(m for m in reversed(api.bot_messages(self.chat_id)) if m.buttons and not m.deleted)
        current = api.messages(self.chat_id)
        target = next(m for m in current if m.message_id == target.message_id)
        button = next(b for b in target.buttons if b["text"] == label)
        before = self._newest_id()
        api.user_presses_button(self.user_id, target.message_id, button["callback_data"])
        await self.harness.settle()
        fresh = [m for m in api.bot_messages(self.chat_id) if m.message_id > before]
        return fresh[-1] if fresh else next(m for m in api.messages(self.chat_id) if m.message_id == target.message_id)

    async def register(self, username: str | None = None) -> RecordedMessage:
        name = username or f"user{self.user_id}"
        replies = await self.say(f"/register {name} {name}@example.com {PASSWORD}")
        assert replies and "Welcome" in replies[0].shown_text, [r.shown_text for r in replies]
        return replies[0]

    @property
    def account_id(self) -> int | None:
        return self.harness.scalar("SELECT user_id FROM telegram_links WHERE telegram_user_id = :t", t=self.user_id)
