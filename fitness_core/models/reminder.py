"""Reminder deliveries: what the scheduler claimed, sent, gave up on or let expire.

The database, not the process, remembers what was sent. A reminder is one
row keyed by (person, kind, subject, local date); the unique key is what makes
a restart, a retry or a second bot process unable to send it twice. A row is
born claimed (status pending, its first attempt started at claimed_at) by the
scan that found it due, and ends sent, failed (Telegram refused for good, or
out of attempts) or expired (not delivered within the grace window). What the key's parts mean for each kind is written
in fitness_core.services.reminders.kinds.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fitness_core.models.base import Base, pg_enum


class ReminderKind(enum.StrEnum):
    CHECKIN = "checkin"
    SESSION_EVE = "session_eve"
    SESSION_DAY = "session_day"
    ACTION_ITEMS_OVERDUE = "action_items_overdue"
    GOAL_OVERDUE = "goal_overdue"
    GOAL_HEADS_UP = "goal_heads_up"
    INACTIVITY = "inactivity"
    WEEKLY_SUMMARY = "weekly_summary"
    COACH_DIGEST = "coach_digest"
    COACH_WEEKLY = "coach_weekly"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # claimed: being sent, or waiting for another attempt
    SENT = "sent"
    FAILED = "failed"  # refused for good (blocked, chat gone) or out of attempts
    EXPIRED = "expired"  # still unsent when its grace window closed


class ReminderDelivery(Base):
    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        # The delivery key (person, kind, subject, local date), its date first, as for every date column.
        UniqueConstraint("local_date", "user_id", "kind", "subject_id"),
        # What a person was sent (or is being sent) in a local day: the nudge cap counts these.
        Index("ix_reminder_deliveries_user_id_due_at", "user_id", "due_at"),
        # Retries and expiry look only at the rows still in flight.
        Index("ix_reminder_deliveries_pending_due_at", "due_at", postgresql_where=text("status = 'pending'")),
        CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_at_iff_sent"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind] = mapped_column(pg_enum(ReminderKind, "reminder_kind"))
    # The goal or coaching session it is about; 0 for kinds about the person's day.
    subject_id: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # The occurrence: the day a daily reminder is for, a goal's target date, a session's date,
    # the last day something was logged (one inactivity nudge per quiet streak).
    local_date: Mapped[dt.date] = mapped_column(Date)
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[DeliveryStatus] = mapped_column(
        pg_enum(DeliveryStatus, "delivery_status"),
        default=DeliveryStatus.PENDING,
        server_default=DeliveryStatus.PENDING.value,
    )
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))  # when the latest attempt started
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[int | None] = mapped_column(BigInteger)  # Telegram's id of the sent message
    # Why the latest attempt failed; NULL while it is in flight, and once sent.
    error: Mapped[str | None] = mapped_column(Text)
