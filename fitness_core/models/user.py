"""People: accounts, roles, login security and per-person settings."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any, ClassVar

import bcrypt
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitness_core.models.base import Base, Timestamps, pg_enum, utcnow
from fitness_core.units import UnitSystem

if TYPE_CHECKING:
    from fitness_core.models.coaching import CoachingSession, ProgressPhoto, UserGoal
    from fitness_core.models.health import HealthMetric
    from fitness_core.models.nutrition import MealLog
    from fitness_core.models.session import TelegramLink, UserSession
    from fitness_core.models.workout import WorkoutSession

MAX_FAILED_LOGINS = 5
LOCKOUT_MINUTES = 15
PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_BYTES = 72  # bcrypt only reads 72 bytes; longer would be silently truncated
DEFAULT_BCRYPT_ROUNDS = 12
SENSITIVE = "sensitive"
"""The deferred group of users' columns the application role cannot read (see migration 005)."""


class UserRole(enum.StrEnum):
    USER = "user"
    ADMIN = "admin"
    COACH = "coach"


class PasswordPolicyError(ValueError):
    """A password that cannot be stored safely; the message is shown to the person."""


def validate_password(password: str) -> None:
    if len(password) < PASSWORD_MIN_CHARS:
        raise PasswordPolicyError(f"Password too short: use at least {PASSWORD_MIN_CHARS} characters.")
    if len(password.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise PasswordPolicyError(
            f"Password too long: at most {PASSWORD_MAX_BYTES} bytes "
            "(about 72 plain letters, fewer with accents or emoji)."
        )


class User(Timestamps, Base):
    __tablename__ = "users"
    __dict_exclude__ = frozenset({"password_hash", "email", "failed_login_attempts", "locked_until"})
    __table_args__ = (
        CheckConstraint("failed_login_attempts >= 0", name="failed_login_attempts_nonnegative"),
        CheckConstraint("length(username) >= 3", name="username_length"),
        CheckConstraint("position('@' in email) > 1", name="email_format"),
    )

    # Overridden from settings at start-up; tests lower it to keep hashing quick.
    bcrypt_rounds: ClassVar[int] = DEFAULT_BCRYPT_ROUNDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True, index=True)
    # Sensitive columns: only the system role may read them (migration 005), so
    # ordinary loads leave them out; sign-in and operator code undefer them.
    email: Mapped[str] = mapped_column(String(255), unique=True, index=True, deferred=True, deferred_group=SENSITIVE)
    password_hash: Mapped[str] = mapped_column(String(128), deferred=True, deferred_group=SENSITIVE)
    role: Mapped[UserRole] = mapped_column(
        pg_enum(UserRole, "user_role"), default=UserRole.USER, server_default=UserRole.USER.value, index=True
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    full_name: Mapped[str | None] = mapped_column(String(120))
    profile_photo_url: Mapped[str | None] = mapped_column(String(500))
    bio: Mapped[str | None] = mapped_column(Text)
    last_login: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    failed_login_attempts: Mapped[int] = mapped_column(
        Integer, default=0, server_default=text("0"), deferred=True, deferred_group=SENSITIVE
    )
    locked_until: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), deferred=True, deferred_group=SENSITIVE
    )

    health_metrics: Mapped[list[HealthMetric]] = relationship(back_populates="user", passive_deletes=True)
    workout_sessions: Mapped[list[WorkoutSession]] = relationship(back_populates="user", passive_deletes=True)
    goals: Mapped[list[UserGoal]] = relationship(back_populates="user", passive_deletes=True)
    progress_photos: Mapped[list[ProgressPhoto]] = relationship(back_populates="user", passive_deletes=True)
    meal_logs: Mapped[list[MealLog]] = relationship(back_populates="user", passive_deletes=True)
    sessions: Mapped[list[UserSession]] = relationship(back_populates="user", passive_deletes=True)
    coaching_sessions: Mapped[list[CoachingSession]] = relationship(
        foreign_keys="CoachingSession.user_id", back_populates="user", passive_deletes=True
    )
    coached_sessions: Mapped[list[CoachingSession]] = relationship(
        foreign_keys="CoachingSession.coach_id", back_populates="coach", passive_deletes=True
    )
    telegram_link: Mapped[TelegramLink | None] = relationship(back_populates="user", passive_deletes=True)
    settings: Mapped[UserSettings | None] = relationship(back_populates="user", passive_deletes=True)

    def set_password(self, password: str) -> None:
        """Hash with bcrypt; CPU-heavy (about 0.25 s at cost 12), so async callers use a thread."""
        validate_password(password)
        salt = bcrypt.gensalt(rounds=self.bcrypt_rounds)
        self.password_hash = bcrypt.hashpw(password.encode("utf-8"), salt).decode("ascii")

    def check_password(self, password: str) -> bool:
        encoded = password.encode("utf-8")
        if not self.password_hash or len(encoded) > PASSWORD_MAX_BYTES:
            return False  # nothing that long was ever stored, so it cannot match
        return bcrypt.checkpw(encoded, self.password_hash.encode("ascii"))

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    def lock_account(self, duration_minutes: int = LOCKOUT_MINUTES, now: dt.datetime | None = None) -> None:
        self.locked_until = (now or utcnow()) + dt.timedelta(minutes=duration_minutes)

    def unlock_account(self) -> None:
        self.locked_until = None
        self.failed_login_attempts = 0

    def record_failed_login(self, now: dt.datetime | None = None) -> None:
        """Count a wrong password; the fifth in a row locks the account for 15 minutes."""
        self.failed_login_attempts = (self.failed_login_attempts or 0) + 1
        if self.failed_login_attempts >= MAX_FAILED_LOGINS:
            self.lock_account(LOCKOUT_MINUTES, now=now)
            self.failed_login_attempts = 0

    def record_successful_login(self, now: dt.datetime | None = None) -> None:
        self.failed_login_attempts = 0
        self.locked_until = None
        self.last_login = now or utcnow()

    def to_dict(self, include_sensitive: bool = False) -> dict[str, Any]:
        data = super().to_dict()
        if include_sensitive:
            data["email"] = self.email
            data["failed_login_attempts"] = self.failed_login_attempts
            data["locked_until"] = self.locked_until.isoformat() if self.locked_until else None
            data["is_locked"] = self.is_locked()
        return data


class UserSettings(Timestamps, Base):
    """What the bot needs to talk to a person at the right time in the right units."""

    __tablename__ = "user_settings"
    __table_args__ = (
        CheckConstraint("(quiet_hours_start IS NULL) = (quiet_hours_end IS NULL)", name="quiet_hours_both_or_neither"),
        CheckConstraint("length(timezone) > 0", name="timezone_not_empty"),
        CheckConstraint("weekly_summary_day >= 0 AND weekly_summary_day <= 6", name="weekly_summary_day_range"),
        CheckConstraint("max_nudges_per_day >= 0 AND max_nudges_per_day <= 20", name="max_nudges_per_day_range"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    unit_system: Mapped[UnitSystem] = mapped_column(
        pg_enum(UnitSystem, "unit_system"), default=UnitSystem.IMPERIAL, server_default=UnitSystem.IMPERIAL.value
    )
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    reminder_time: Mapped[dt.time] = mapped_column(Time, default=dt.time(20, 0), server_default=text("'20:00'::time"))
    quiet_hours_start: Mapped[dt.time | None] = mapped_column(Time)
    quiet_hours_end: Mapped[dt.time | None] = mapped_column(Time)
    remind_checkin: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    remind_coaching: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    remind_goals: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    remind_inactivity: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    remind_weekly: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    weekly_summary_day: Mapped[int] = mapped_column(
        SmallInteger, default=6, server_default=text("6")
    )  # 0 = Monday ... 6 = Sunday, as datetime.date.weekday()
    weekly_summary_time: Mapped[dt.time] = mapped_column(
        Time, default=dt.time(18, 0), server_default=text("'18:00'::time")
    )
    max_nudges_per_day: Mapped[int] = mapped_column(SmallInteger, default=3, server_default=text("3"))

    user: Mapped[User] = relationship(back_populates="settings")
