"""Sign-in state: login sessions with expiry, and the Telegram account linked to a user."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Boolean, ColumnElement, DateTime, ForeignKey, Index, String, Text, and_, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitness_core.models.base import Base, utcnow

if TYPE_CHECKING:
    from fitness_core.models.user import User

SESSION_HOURS = 24
REMEMBER_ME_DAYS = 30

# Ordered: the first pattern that matches wins (Edge and Opera also say "Chrome").
_BROWSERS = (
    ("Telegram", re.compile(r"telegram", re.I)),
    ("Edge", re.compile(r"edg(e|a|ios)?/", re.I)),
    ("Opera", re.compile(r"opr/|opera", re.I)),
    ("Firefox", re.compile(r"firefox|fxios", re.I)),
    ("Chrome", re.compile(r"chrome|crios", re.I)),
    ("Safari", re.compile(r"safari", re.I)),
)
_SYSTEMS = (
    ("iOS", re.compile(r"iphone|ipad|ipod", re.I)),
    ("Android", re.compile(r"android", re.I)),
    ("Windows", re.compile(r"windows", re.I)),
    ("macOS", re.compile(r"mac os x|macintosh", re.I)),
    ("Linux", re.compile(r"linux|x11", re.I)),
)
_DEVICES = (
    ("bot", re.compile(r"bot|crawler|spider", re.I)),
    ("tablet", re.compile(r"ipad|tablet", re.I)),
    ("mobile", re.compile(r"mobile|iphone|android", re.I)),
)


def _first_match(table: tuple[tuple[str, re.Pattern[str]], ...], agent: str) -> str | None:
    return next((label for label, pattern in table if pattern.search(agent)), None)


class UserSession(Base):
    __tablename__ = "user_sessions"
    __dict_properties__ = ("time_until_expiration", "time_since_activity", "session_age")
    __table_args__ = (Index("ix_user_sessions_user_id_is_active", "user_id", "is_active"),)

    session_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_activity: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revocation_reason: Mapped[str | None] = mapped_column(String(200))
    device_type: Mapped[str | None] = mapped_column(String(20))
    browser: Mapped[str | None] = mapped_column(String(50))
    os: Mapped[str | None] = mapped_column(String(50))
    remember_me: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    user: Mapped[User] = relationship(back_populates="sessions")

    @classmethod
    def create_session(
        cls,
        user_id: int,
        *,
        remember_me: bool = False,
        ip_address: str | None = None,
        user_agent: str | None = None,
        now: dt.datetime | None = None,
    ) -> UserSession:
        now = now or utcnow()
        session = cls(
            session_id=uuid.uuid4(),
            user_id=user_id,
            remember_me=remember_me,
            ip_address=ip_address,
            user_agent=user_agent,
            created_at=now,
            last_activity=now,
            is_active=True,
            expires_at=now + cls.lifetime(remember_me),
        )
        session.parse_user_agent()
        return session

    @staticmethod
    def lifetime(remember_me: bool) -> dt.timedelta:
        return dt.timedelta(days=REMEMBER_ME_DAYS) if remember_me else dt.timedelta(hours=SESSION_HOURS)

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return (now or utcnow()) >= self.expires_at

    @hybrid_method
    def is_valid(self, now: dt.datetime | None = None) -> bool:
        return self.is_active and self.revoked_at is None and not self.is_expired(now)

    @is_valid.inplace.expression
    @classmethod
    def _is_valid_expression(cls, now: dt.datetime | ColumnElement | None = None) -> ColumnElement[bool]:
        """The same test in SQL, so the linked person and their session's validity are read in one statement."""
        return and_(cls.is_active, cls.revoked_at.is_(None), cls.expires_at > (func.now() if now is None else now))

    def revoke(self, reason: str | None = None, now: dt.datetime | None = None) -> None:
        self.is_active = False
        self.revoked_at = now or utcnow()
        self.revocation_reason = reason

    def extend_session(self, hours: float | None = None, now: dt.datetime | None = None) -> None:
        """Push expiry to now + hours (default: the session's own lifetime)."""
        now = now or utcnow()
        span = dt.timedelta(hours=hours) if hours is not None else self.lifetime(self.remember_me)
        self.expires_at = now + span

    def update_activity(self, now: dt.datetime | None = None) -> None:
        self.last_activity = now or utcnow()

    def parse_user_agent(self) -> None:
        agent = self.user_agent or ""
        self.browser = _first_match(_BROWSERS, agent)
        self.os = _first_match(_SYSTEMS, agent)
        self.device_type = _first_match(_DEVICES, agent) or ("desktop" if agent else None)

    @property
    def time_until_expiration(self) -> dt.timedelta:
        return max(dt.timedelta(0), self.expires_at - utcnow())

    @property
    def time_since_activity(self) -> dt.timedelta:
        return utcnow() - self.last_activity

    @property
    def session_age(self) -> dt.timedelta:
        return utcnow() - self.created_at


class TelegramLink(Base):
    """The Telegram account a user chats from: one per user, and one user per Telegram account."""

    __tablename__ = "telegram_links"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    linked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    # The UserSession this link keeps alive (remember-me, extended on activity).
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_sessions.session_id", ondelete="SET NULL"), index=True
    )

    user: Mapped[User] = relationship(back_populates="telegram_link")
    session: Mapped[UserSession | None] = relationship()
