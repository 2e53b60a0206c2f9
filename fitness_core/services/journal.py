"""Logging by chat: a parsed message becomes rows, journaled so it can be undone and is never logged twice.

One call per message (`log`) writes all of its entries in the caller's
transaction, so a message is saved whole or not at all. The writing is the
database function journal_log (migration 006), one round trip per message:
every row it inserts or updates goes through journal_write, which records the
values before and after. That record is the message's journal
(LoggedMessage.changes), what `undo` (here, in Python) reads to put merged
rows back rather than delete them, and what the audit trail stores. Nothing
here commits; the caller's transaction does.

Also here: messages sent before the sender linked an account (PendingMessage),
kept for a while and handed back once they link.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Enum,
    Integer,
    Numeric,
    Table,
    Text,
    Time,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core import ranges
from fitness_core.driver import DriverStatement
from fitness_core.models import (
    AuditLog,
    ExerciseLog,
    HealthMetric,
    LoggedMessage,
    MealLog,
    PendingMessage,
    WorkoutSession,
)
from fitness_core.parsing import Entry, ExerciseEntry, MealEntry, MetricEntry, WorkoutEntry, columns, default_resolver

# A transaction-scoped advisory lock per person: two messages of one person
# never merge into the same day at once (no duplicate day session, no lost merge),
# and an undo never interleaves with a log. The first key names this use.
_LOCK_NAMESPACE = 0x4A524E  # "JRN"

PENDING_LIMIT = 20
PENDING_MAX_AGE = dt.timedelta(days=7)

_ENTRY_TABLE: dict[type, str] = {
    MetricEntry: "health_metrics",
    WorkoutEntry: "workout_sessions",
    ExerciseEntry: "exercise_logs",
    MealEntry: "meal_logs",
}
_KIND_OF_TABLE = {
    "health_metrics": "metric",
    "workout_sessions": "workout",
    "exercise_logs": "exercise",
    "meal_logs": "meal",
}
_TABLES: dict[str, Table] = {
    model.__tablename__: model.__table__ for model in (HealthMetric, WorkoutSession, ExerciseLog, MealLog)
}


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Saved:
    """One thing a message saved, for the reply: stored values (JSON-safe, storage units) of the fields given.

    `previous` holds the earlier value of each merged field that changed and
    had one, so the reply can say "weight 182.0 lb (was 183.4)".
    """

    kind: str  # "metric", "workout", "exercise" or "meal"
    date: dt.date
    values: Mapping[str, Any]
    previous: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Logged:
    """What `log` did; `logged_message_id` is None when the message had been logged already (a redelivery)."""

    logged_message_id: int | None
    saved: tuple[Saved, ...] = ()

    @property
    def duplicate(self) -> bool:
        return self.logged_message_id is None


class UndoStatus(enum.StrEnum):
    UNDONE = "undone"
    ALREADY_UNDONE = "already_undone"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Undone:
    """What `undo` did: rows put back to earlier values (`restored`) and fields left as a later log set them."""

    status: UndoStatus
    logged_message_id: int | None = None
    text: str = ""
    restored: tuple[Saved, ...] = ()
    kept: tuple[tuple[str, dt.date, str], ...] = ()  # (kind, date, column)


@dataclass(frozen=True)
class Pending:
    """A message kept from before the sender linked an account."""

    chat_id: int
    message_id: int
    text: str
    received_at: dt.datetime


class InvalidEntry(ValueError):
    """An entry outside the allowed ranges reached the service: a bug upstream (the parser checks first)."""


# ----------------------------------------------------------------------------- values


def _plain(value: Any) -> Any:
    """A column value as JSON keeps it (the journal and the audit trail are JSONB)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _stored(column: Column, value: Any) -> Any:
    """The JSON-safe form of value as the column stores it, so a new value and a stored one compare equal."""
    if isinstance(value, float) and isinstance(column.type, Numeric) and column.type.scale is not None:
        value = round(value, column.type.scale)
    return _plain(value)


def _bindable(column: Column, value: Any) -> Any:
    """A value from an entry or from the journal's JSON, as the column's Python type."""
    if value is None:
        return None
    if isinstance(column.type, Enum) and column.type.enum_class is not None:
        return column.type.enum_class(value)
    if isinstance(value, str) and isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(value, str) and isinstance(column.type, Time):
        return dt.time.fromisoformat(value)
    return value


def _entry_values(table: Table, entry: Entry) -> dict[str, Any]:
    """The entry's given values that are columns of table (an entry also carries parser-only fields)."""
    return {name: value for name, value in columns(entry).items() if name in table.c}


def _check_ranges(entries: Iterable[Entry]) -> None:
    for entry in entries:
        table = _TABLES[_ENTRY_TABLE[type(entry)]]
        bounds = ranges.BY_TABLE[table.name]
        for name, value in _entry_values(table, entry).items():
            if name in bounds and isinstance(value, int | float) and not bounds[name].contains(value):
                raise InvalidEntry(f"{name} {value} is outside {bounds[name].describe()}")


# ----------------------------------------------------------------------------- writing rows


class _Writer:
    """The row changes an undo makes: written, recorded in the journal's form, audited.

    (Logging writes through the database's journal_write, which records its
    changes in the same form.) Audit rows are collected and inserted together
    by `finish`, one statement instead of one per row.
    """

    def __init__(self, session: AsyncSession, user_id: int, logged_message_id: int) -> None:
        self.session = session
        self.user_id = user_id
        self.logged_message_id = logged_message_id
        self.audits: list[dict[str, Any]] = []

    async def restore(self, table: Table, values: Mapping[str, Any], current: Mapping[str, Any]) -> None:
        """Put the fields of `current` that differ from `values` back to them."""
        held = {name: _stored(table.c[name], current[name]) for name in values}
        changed = {name: value for name, value in values.items() if _stored(table.c[name], value) != held[name]}
        if not changed:
            return
        statement = update(table).where(table.c.id == current["id"]).values(self._bind(table, changed))
        row = (await self.session.execute(statement.returning(*table.c))).mappings().one()
        after = {name: _stored(table.c[name], row[name]) for name in changed}
        self._record(table, current["id"], "update", {name: held[name] for name in changed}, after)

    async def remove(self, table: Table, current: Mapping[str, Any]) -> None:
        await self.session.execute(delete(table).where(table.c.id == current["id"]))
        before = {column.name: _stored(column, current[column.name]) for column in table.c}
        self._record(table, current["id"], "delete", before, {})

    def audit(self, action: str, table_name: str, row_id: int, **details: Any) -> None:
        self.audits.append(
            {
                "user_id": self.user_id,
                "action": action,
                "table_name": table_name,
                "row_id": str(row_id),
                "details": details,
            }
        )

    async def finish(self) -> None:
        if self.audits:
            await self.session.execute(insert(AuditLog), self.audits)
            self.audits = []

    @staticmethod
    def _bind(table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
        return {name: _bindable(table.c[name], value) for name, value in values.items()}

    def _record(self, table: Table, row_id: int, action: str, before: dict[str, Any], after: dict[str, Any]) -> None:
        self.audit(action, table.name, row_id, before=before, after=after, logged_message_id=self.logged_message_id)


async def _lock_person(session: AsyncSession, user_id: int) -> None:
    await session.execute(select(func.pg_advisory_xact_lock(_LOCK_NAMESPACE, user_id)))


# ----------------------------------------------------------------------------- log


@dataclass
class _Day:
    metrics: dict[str, Any] = field(default_factory=dict)
    workout: dict[str, Any] = field(default_factory=dict)
    exercises: list[ExerciseEntry] = field(default_factory=list)
    meals: list[MealEntry] = field(default_factory=list)

    def payload(self, date: dt.date) -> dict[str, Any]:
        """The day as journal_log takes it: JSON-safe column values, a cardio guess for each exercise."""
        day: dict[str, Any] = {"date": date.isoformat()}
        if self.metrics:
            day["metrics"] = _json_values(self.metrics)
        if self.exercises or self.workout:
            day["training"] = {
                "workout": _json_values(self.workout),
                "exercises": [
                    {
                        "values": _json_values(_entry_values(_TABLES["exercise_logs"], entry)),
                        "cardio": _is_cardio(entry.exercise_name, entry.distance_miles),
                    }
                    for entry in self.exercises
                ],
            }
        if self.meals:
            day["meals"] = [_json_values(_entry_values(_TABLES["meal_logs"], meal)) for meal in self.meals]
        return day


def _by_day(entries: Sequence[Entry]) -> dict[dt.date, _Day]:
    """Entries grouped by date, a day's metrics and session words merged (a later value wins)."""
    days: dict[dt.date, _Day] = {}
    for entry in entries:
        day = days.setdefault(entry.date, _Day())
        if isinstance(entry, MetricEntry):
            day.metrics.update(_entry_values(_TABLES["health_metrics"], entry))
        elif isinstance(entry, WorkoutEntry):
            day.workout.update(_entry_values(_TABLES["workout_sessions"], entry))
        elif isinstance(entry, ExerciseEntry):
            day.exercises.append(entry)
        else:
            day.meals.append(entry)
    return days


def _json_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _plain(value) for name, value in values.items()}


def _is_cardio(name: str, distance_miles: float | None) -> bool:
    """For a name that is not a catalogue definition (journal_log asks the catalogue first): its words, or a distance."""
    return default_resolver().resolve(name).cardio or distance_miles is not None


_LOG = DriverStatement(
    select(
        func.journal_log(
            bindparam("lock", type_=Integer),
            bindparam("user_id", type_=Integer),
            bindparam("chat_id", type_=BigInteger),
            bindparam("message_id", type_=BigInteger),
            bindparam("text", type_=Text),
            bindparam("logged_date", type_=Date),
            bindparam("days", type_=JSONB),
            type_=JSONB,
        )
    )
)


def _saved(days: Mapping[dt.date, _Day], written: Mapping[str, Any]) -> Saved | None:
    """What the reply shows of one row journal_log wrote: a session only for the session words typed."""
    date = dt.date.fromisoformat(written["date"])
    values = written["values"]
    if written["kind"] == "workout":
        values = {name: value for name, value in values.items() if name in days[date].workout}
        if not values:
            return None
    elif written["kind"] == "exercise":
        values = {name: value for name, value in values.items() if name not in ("workout_session_id", "order_index")}
    previous = {name: value for name, value in written["before"].items() if name in values and value is not None}
    return Saved(written["kind"], date, values, previous)


async def log(
    session: AsyncSession, user_id: int, entries: Sequence[Entry], *, chat_id: int, message_id: int, text: str
) -> Logged:
    """Save every entry of one chat message, all in the caller's transaction, journaled for undo.

    Metrics merge into the day's HealthMetric row; exercises go into the day's
    WorkoutSession (created when needed, its session_type following from its
    exercises); meals are rows of their own. The database function journal_log
    (migration 006) does it in one round trip; a chat message logged before
    (a redelivered update) writes nothing.
    """
    if not entries:
        raise ValueError("a message with nothing to log is not journaled")
    _check_ranges(entries)
    days = _by_day(entries)
    result = await _LOG.scalar(
        session,
        lock=_LOCK_NAMESPACE,
        user_id=user_id,
        chat_id=chat_id,
        message_id=message_id,
        text=text,
        logged_date=entries[0].date,
        days=[day.payload(date) for date, day in days.items()],
    )
    if result is None:
        return Logged(None)
    saved = (_saved(days, written) for written in result["written"])
    return Logged(result["id"], tuple(item for item in saved if item is not None))


# ----------------------------------------------------------------------------- undo


async def _journal_row(session: AsyncSession, user_id: int, logged_message_id: int | None) -> LoggedMessage | None:
    """The given journal row of the person, or their newest one not undone yet; locked."""
    statement = select(LoggedMessage).where(LoggedMessage.user_id == user_id).with_for_update()
    if logged_message_id is None:
        statement = statement.where(LoggedMessage.undone_at.is_(None)).order_by(LoggedMessage.id.desc()).limit(1)
    else:
        statement = statement.where(LoggedMessage.id == logged_message_id)
    return await session.scalar(statement)


class _Undo:
    """Reverting one journal row's changes, newest first, each only where a later log left it alone."""

    def __init__(self, session: AsyncSession, writer: _Writer) -> None:
        self.session = session
        self.writer = writer
        self.restored: list[Saved] = []
        self.kept: list[tuple[str, dt.date, str]] = []

    async def revert(self, change: Mapping[str, Any]) -> None:
        table = _TABLES[change["table"]]
        day = dt.date.fromisoformat(change["date"])
        statement = select(table).where(table.c.id == change["id"]).with_for_update()
        current = (await self.session.execute(statement)).mappings().one_or_none()
        if current is None:
            return  # removed since (e.g. its session was deleted): nothing of ours is left
        before, after = change["before"], change["after"]
        held = {name: _stored(table.c[name], current[name]) for name in after}
        ours = [name for name in after if held[name] == after[name]]
        kind = _KIND_OF_TABLE[table.name]
        self.kept.extend((kind, day, name) for name in after if name not in ours and held[name] != before.get(name))
        if change["action"] == "insert":
            restore = {name: None for name in ours if table.c[name].nullable}
            if len(ours) == len(after) and await self._empty_without(table, current, restore):
                await self.writer.remove(table, current)
                return
        else:
            restore = {name: before.get(name) for name in ours}
        if restore:
            await self.writer.restore(table, restore, current)
            back = {name: value for name, value in restore.items() if value is not None}
            if back:
                self.restored.append(Saved(kind, day, back, {name: after[name] for name in back}))

    async def _empty_without(self, table: Table, current: Mapping[str, Any], restore: Mapping[str, Any]) -> bool:
        """Would the row hold nothing once our values are gone? A session also must have no exercises left."""
        if any(current[c.name] is not None for c in table.c if c.nullable and c.name not in restore):
            return False
        if table.name != "workout_sessions":
            return True
        children = exists().where(ExerciseLog.workout_session_id == current["id"])
        return not await self.session.scalar(select(children))


async def undo(session: AsyncSession, user_id: int, logged_message_id: int | None, *, now: dt.datetime) -> Undone:
    """Undo one logged message (by default the person's newest not undone), in the caller's transaction.

    Merged rows get their earlier values back instead of being deleted; a row
    the message created is deleted only when nothing else was put in it since.
    A field a later log changed again is left as it is and reported.
    """
    await _lock_person(session, user_id)
    journal = await _journal_row(session, user_id, logged_message_id)
    if journal is None:
        return Undone(UndoStatus.NOT_FOUND, logged_message_id)
    if journal.undone_at is not None:
        return Undone(UndoStatus.ALREADY_UNDONE, journal.id, journal.text)
    writer = _Writer(session, user_id, journal.id)
    work = _Undo(session, writer)
    for change in reversed(journal.changes):
        await work.revert(change)
    journal.undone_at = now
    writer.audit(
        "update",
        LoggedMessage.__tablename__,
        journal.id,
        before={"undone_at": None},
        after={"undone_at": now.isoformat()},
    )
    await writer.finish()
    return Undone(UndoStatus.UNDONE, journal.id, journal.text, tuple(work.restored), tuple(dict.fromkeys(work.kept)))


# ----------------------------------------------------------------------------- before linking


async def keep_pending(
    session: AsyncSession, telegram_user_id: int, *, chat_id: int, message_id: int, text: str, now: dt.datetime
) -> None:
    """Keep a log sent before linking, as the Telegram account (act_as_telegram_account first).

    At most PENDING_LIMIT per account and none older than PENDING_MAX_AGE: a
    stranger cannot fill the table, and a log from last month is not news.
    """
    mine = PendingMessage.telegram_user_id == telegram_user_id
    await session.execute(delete(PendingMessage).where(mine, PendingMessage.received_at < now - PENDING_MAX_AGE))
    await session.execute(
        pg_insert(PendingMessage)
        .values(telegram_user_id=telegram_user_id, chat_id=chat_id, message_id=message_id, text=text, received_at=now)
        .on_conflict_do_nothing(index_elements=["chat_id", "message_id"])
    )
    newest = select(PendingMessage.id).where(mine).order_by(PendingMessage.id.desc()).limit(PENDING_LIMIT)
    await session.execute(delete(PendingMessage).where(mine, PendingMessage.id.not_in(newest)))


async def take_pending(session: AsyncSession, telegram_user_id: int, *, now: dt.datetime) -> list[Pending]:
    """Remove and return the account's kept messages that are still fresh, oldest first."""
    rows = await session.execute(
        delete(PendingMessage)
        .where(PendingMessage.telegram_user_id == telegram_user_id)
        .returning(
            PendingMessage.id,
            PendingMessage.chat_id,
            PendingMessage.message_id,
            PendingMessage.text,
            PendingMessage.received_at,
        )
    )
    fresh = sorted(row for row in rows if row.received_at >= now - PENDING_MAX_AGE)
    return [Pending(row.chat_id, row.message_id, row.text, row.received_at) for row in fresh]
