"""Declarative base, naming convention and the helpers every model shares."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from typing import Any, ClassVar

from sqlalchemy import CheckConstraint, DateTime, Enum, MetaData, Numeric, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fitness_core import ranges

# Stable names for every constraint and index: migrations, CHECK tests and
# error messages can refer to them, and autogenerate never sees a rename.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    # Calculated properties that to_dict() adds after the columns.
    __dict_properties__: ClassVar[tuple[str, ...]] = ()
    # Columns to_dict() never shows (secrets).
    __dict_exclude__: ClassVar[frozenset[str]] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        """Every column and calculated property as JSON-ready values."""
        data = {
            column.key: _jsonable(getattr(self, column.key))
            for column in self.__mapper__.column_attrs
            if column.key not in self.__dict_exclude__
        }
        for name in self.__dict_properties__:
            data[name] = _jsonable(getattr(self, name))
        return data

    def __repr__(self) -> str:
        keys = ", ".join(f"{c.name}={getattr(self, c.key)!r}" for c in self.__table__.primary_key)
        return f"<{type(self).__name__} {keys}>"


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def pg_enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A native PostgreSQL enum that stores the members' values (lowercase words)."""
    return Enum(enum_cls, name=name, values_callable=lambda members: [m.value for m in members])


def measure(precision: int = 6, scale: int = 2) -> Numeric:
    """Exact decimal storage, read back as float so calculations stay simple."""
    return Numeric(precision, scale, asdecimal=False)


def range_checks(table_name: str) -> tuple[CheckConstraint, ...]:
    """One named CHECK per bounded column, built from fitness_core.ranges."""
    return tuple(
        CheckConstraint(bounds.check_sql(column), name=f"{column}_range")
        for column, bounds in ranges.BY_TABLE[table_name].items()
    )


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class CreatedAt:
    """created_at, set by the database so every writer agrees on the clock."""

    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Timestamps(CreatedAt):
    """created_at and updated_at, for rows that are edited after they are written."""

    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
