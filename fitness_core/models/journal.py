"""What each chat message logged, so it can be undone and never logged twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Text, UniqueConstraint, func
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from fitness_core.models.base import Base, CreatedAt


class LoggedMessage(CreatedAt, Base):
    """One chat message that wrote rows.

    `changes` lists, in order, every row the message inserted or updated with
    the values it had before, which is what /undo needs to restore a merged
    day's metrics rather than delete them. The unique (chat_id, message_id)
    makes a redelivered Telegram update log nothing the second time.
    """

    __tablename__ = "logged_messages"
    __table_args__ = (
        UniqueConstraint("chat_id", "message_id"),
        Index("ix_logged_messages_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    logged_date: Mapped[dt.date] = mapped_column(Date, index=True)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default=sql_text("'[]'::jsonb"))
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PendingMessage(Base):
    """A log sent before the sender linked an account: kept, and logged right after they link."""

    __tablename__ = "pending_messages"
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
