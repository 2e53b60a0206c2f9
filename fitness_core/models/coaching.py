"""Coaching: coach-client links, coaching sessions, goals and progress photos."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitness_core.models.base import Base, CreatedAt, Timestamps, measure, pg_enum, range_checks

if TYPE_CHECKING:
    from fitness_core.models.user import User


def _today() -> dt.date:
    return dt.date.today()


class LinkStatus(enum.StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    ENDED = "ended"


class GoalType(enum.StrEnum):
    WEIGHT_LOSS = "weight_loss"
    MUSCLE_GAIN = "muscle_gain"
    STRENGTH = "strength"
    ENDURANCE = "endurance"
    FLEXIBILITY = "flexibility"
    SKILL = "skill"
    HABIT = "habit"
    NUTRITION = "nutrition"
    OTHER = "other"


class GoalStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    PAUSED = "paused"
    ABANDONED = "abandoned"


class PhotoType(enum.StrEnum):
    FRONT = "front"
    SIDE = "side"
    BACK = "back"
    FLEX = "flex"
    COMPARISON = "comparison"
    OTHER = "other"


class CoachClient(Base):
    """Who coaches whom. Row-level security reads this table to let a coach see a client's rows."""

    __tablename__ = "coach_clients"
    __table_args__ = (
        CheckConstraint("coach_id <> client_id", name="not_self"),
        # One live (invited or active) link per pair; ended links stay as history.
        Index(
            "uq_coach_clients_live_pair",
            "coach_id",
            "client_id",
            unique=True,
            postgresql_where=text("status IN ('invited', 'active')"),
        ),
        Index("ix_coach_clients_client_id_status", "client_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[LinkStatus] = mapped_column(
        pg_enum(LinkStatus, "link_status"), default=LinkStatus.INVITED, index=True
    )
    invited_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    coach: Mapped[User] = relationship(foreign_keys=[coach_id])
    client: Mapped[User] = relationship(foreign_keys=[client_id])


# Invite codes: 8 characters without the look-alikes 0/O and 1/I, so they can be read out and typed.
INVITE_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
INVITE_CODE_LENGTH = 8


class CoachInvite(CreatedAt, Base):
    """A single-use code a coach hands to a future client; accepting it opens an active CoachClient link.

    The coach reads and creates their own invites; the person accepting cannot see the coach's
    rows, so accepting looks the code up across users (system) and records who used it.
    """

    __tablename__ = "coach_invites"
    __table_args__ = (
        CheckConstraint(f"code ~ '^[{INVITE_CODE_ALPHABET}]{{{INVITE_CODE_LENGTH}}}$'", name="code_format"),
        CheckConstraint("expires_at > created_at", name="expires_after_created"),
        CheckConstraint("(used_by IS NULL) = (used_at IS NULL)", name="used_by_and_at_together"),
        CheckConstraint("used_by <> coach_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(INVITE_CODE_LENGTH), unique=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CoachingSession(Timestamps, Base):
    __tablename__ = "coaching_sessions"
    __dict_properties__ = ("is_overdue", "days_until_next_session")
    __table_args__ = (
        Index("ix_coaching_sessions_user_id_session_date", "user_id", "session_date"),
        Index("ix_coaching_sessions_coach_id_session_date", "coach_id", "session_date"),
        CheckConstraint("cardinality(done_action_items) <= cardinality(action_items)", name="done_items_within"),
        *range_checks("coaching_sessions"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_date: Mapped[dt.date] = mapped_column(Date, index=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    topics: Mapped[list[str]] = mapped_column(ARRAY(String(100)), default=list, server_default="{}")
    discussion_notes: Mapped[str | None] = mapped_column(Text)
    coach_feedback: Mapped[str | None] = mapped_column(Text)
    action_items: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    # Which action items the client marked done: their numbers as shown to people (1 = the first).
    done_action_items: Mapped[list[int]] = mapped_column(ARRAY(Integer), default=list, server_default="{}")
    next_session_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    completed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"), index=True)
    completion_notes: Mapped[str | None] = mapped_column(Text)
    user_rating: Mapped[int | None] = mapped_column(SmallInteger)

    user: Mapped[User] = relationship(foreign_keys=[user_id], back_populates="coaching_sessions")
    coach: Mapped[User] = relationship(foreign_keys=[coach_id], back_populates="coached_sessions")

    def is_overdue_on(self, day: dt.date) -> bool:
        """Action items are overdue once the next session date has passed without completion."""
        return (
            bool(self.action_items)
            and not self.completed
            and self.next_session_date is not None
            and self.next_session_date < day
        )

    def open_action_items(self) -> list[tuple[int, str]]:
        """(number, text) of the items not marked done yet; numbers as people see them, from 1."""
        done = set(self.done_action_items or ())
        return [(number, item) for number, item in enumerate(self.action_items or (), 1) if number not in done]

    def mark_action_item_done(self, number: int, day: dt.date) -> bool:
        """Record item `number` done on `day`; the session is completed once every item is.

        completion_notes keeps one line per item, in the order they were done, so the coach
        reads what was done and when. Returns False when the item was already done.
        """
        if number in (self.done_action_items or ()):
            return False
        if not 1 <= number <= len(self.action_items or ()):
            raise ValueError(f"no action item {number}")
        self.done_action_items = [*(self.done_action_items or ()), number]
        line = f"{day.isoformat()}: done: {self.action_items[number - 1]}"
        self.completion_notes = f"{self.completion_notes}\n{line}" if self.completion_notes else line
        self.completed = not self.open_action_items()
        return True

    def days_until_next_session_from(self, day: dt.date) -> int | None:
        return None if self.next_session_date is None else (self.next_session_date - day).days

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(_today())

    @property
    def days_until_next_session(self) -> int | None:
        return self.days_until_next_session_from(_today())


class UserGoal(Timestamps, Base):
    __tablename__ = "user_goals"
    __dict_properties__ = ("is_overdue", "days_remaining", "days_active")
    __table_args__ = (
        Index("ix_user_goals_user_id_status", "user_id", "status"),
        Index("ix_user_goals_user_id_target_date", "user_id", "target_date"),
        *range_checks("user_goals"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    goal_type: Mapped[GoalType] = mapped_column(pg_enum(GoalType, "goal_type"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    target_value: Mapped[float | None] = mapped_column(measure(10, 2))
    target_unit: Mapped[str | None] = mapped_column(String(20))
    target_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    # Where the person stood when the goal was set: progress is measured from here.
    start_value: Mapped[float | None] = mapped_column(measure(10, 2))
    current_value: Mapped[float | None] = mapped_column(measure(10, 2))
    progress_percentage: Mapped[float] = mapped_column(measure(5, 2), default=0, server_default=text("0"))
    start_date: Mapped[dt.date] = mapped_column(Date, default=_today, server_default=func.current_date(), index=True)
    completed_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[GoalStatus] = mapped_column(
        pg_enum(GoalStatus, "goal_status"), default=GoalStatus.ACTIVE, index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)
    milestones: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")

    user: Mapped[User] = relationship(back_populates="goals")

    def calculate_progress(self, current_value: float) -> float:
        """Percent of the way from start to target (0-100), in either direction.

        With a start value (weight 200 -> 180), progress is the share of the
        distance covered, so losing goals and gaining goals both work. Without
        one, progress is current / target, as for counts starting at zero.
        """
        if self.target_value is None:
            return 0.0
        start = self.start_value if self.start_value is not None else 0.0
        span = self.target_value - start
        if span == 0:
            reached = current_value == self.target_value
            return 100.0 if reached else 0.0
        percent = (current_value - start) / span * 100
        return round(min(100.0, max(0.0, percent)), 2)

    def update_progress(self, current_value: float, auto_complete: bool = True, today: dt.date | None = None) -> bool:
        """Record a new value; returns True when this update completed the goal."""
        self.current_value = current_value
        self.progress_percentage = self.calculate_progress(current_value)
        if auto_complete and self.progress_percentage >= 100 and self.status == GoalStatus.ACTIVE:
            self.status = GoalStatus.COMPLETED
            self.completed_date = today or _today()
            return True
        return False

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.status == GoalStatus.ACTIVE and self.target_date is not None and self.target_date < day

    def days_remaining_from(self, day: dt.date) -> int | None:
        """Days left until the target date; negative once it has passed."""
        return None if self.target_date is None else (self.target_date - day).days

    def days_active_on(self, day: dt.date) -> int:
        end = self.completed_date or day
        return max(0, (end - (self.start_date or day)).days)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(_today())

    @property
    def days_remaining(self) -> int | None:
        return self.days_remaining_from(_today())

    @property
    def days_active(self) -> int:
        return self.days_active_on(_today())


class ProgressPhoto(CreatedAt, Base):
    __tablename__ = "progress_photos"
    __table_args__ = (
        Index("ix_progress_photos_user_id_photo_date", "user_id", "photo_date"),
        *range_checks("progress_photos"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    photo_date: Mapped[dt.date] = mapped_column(Date, index=True)
    # A Telegram file_id for photos sent in chat, or a URL for other sources.
    photo_url: Mapped[str] = mapped_column(String(500))
    photo_type: Mapped[PhotoType] = mapped_column(pg_enum(PhotoType, "photo_type"), default=PhotoType.OTHER, index=True)
    weight_lbs: Mapped[float | None] = mapped_column(measure())
    body_fat_percentage: Mapped[float | None] = mapped_column(measure(5, 2))
    notes: Mapped[str | None] = mapped_column(Text)
    # Private by default; when true the person's active coaches may see it.
    is_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    user: Mapped[User] = relationship(back_populates="progress_photos")
