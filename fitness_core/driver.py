"""Statements run on the asyncpg connection under a session, for the few that run on every chat message.

The bot's throughput is bound by Python time per update, and through an
AsyncSession a statement costs three to four times the Python time it costs
on asyncpg itself (execution context, result objects, the greenlet switch):
measured in bench/e2e_bench.py, that was most of a logged message's cost.
So the statements of the logging path (who is linked, and journal_log) are
written with SQLAlchemy as usual, compiled once here, and run on the driver
connection of the caller's session: the same connection and the same
transaction, which the caller still owns and commits. They pass by
SQLAlchemy's engine events and echo, so only statements that run a fixed
number of times per update belong here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Select
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession

_DIALECT = asyncpg_dialect()


class NoTransaction(RuntimeError):
    """The session has not begun its transaction on the server: a driver statement would commit on its own."""


async def _connection(session: AsyncSession) -> Any:
    """The asyncpg connection under the session, refused unless its transaction has begun on the server.

    SQLAlchemy sends BEGIN with a session's first statement, so a driver
    statement must come after one (accounts.resolve acts as the person first).
    """
    raw = await (await session.connection()).get_raw_connection()
    connection = raw.driver_connection
    if not connection.is_in_transaction():
        raise NoTransaction("run a statement through the session first")
    return connection


def _identity(value: Any) -> Any:
    return value


class DriverStatement:
    """A SELECT compiled once for asyncpg, with its parameters' and columns' type conversions."""

    def __init__(self, statement: Select) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        self.sql = compiled.string
        self._names = list(compiled.positiontup or ())
        # The values written into the statement (literals in a comparison); the rest come with each call.
        self._constants = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        self._binds = [compiled.binds[name].type.bind_processor(_DIALECT) or _identity for name in self._names]
        self._columns: list[tuple[str, Callable[[Any], Any]]] = [
            (column.key, column.type.result_processor(_DIALECT, None) or _identity)
            for column in statement.selected_columns
        ]

    def _arguments(self, parameters: Mapping[str, Any]) -> list[Any]:
        values = {**self._constants, **parameters}
        return [convert(values[name]) for name, convert in zip(self._names, self._binds, strict=True)]

    async def one_or_none(self, session: AsyncSession, **parameters: Any) -> dict[str, Any] | None:
        connection = await _connection(session)
        record = await connection.fetchrow(self.sql, *self._arguments(parameters))
        if record is None:
            return None
        return {name: convert(value) for (name, convert), value in zip(self._columns, record, strict=True)}

    async def scalar(self, session: AsyncSession, **parameters: Any) -> Any:
        row = await self.one_or_none(session, **parameters)
        return None if row is None else next(iter(row.values()))
