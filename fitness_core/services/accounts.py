"""Accounts: register, log in and out from a chat, the linked person, their settings."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer_group

from fitness_core.db import user_context
from fitness_core.driver import DriverStatement
from fitness_core.models import (
    AuditLog,
    GoalStatus,
    PasswordPolicyError,
    TelegramLink,
    User,
    UserGoal,
    UserRole,
    UserSession,
    UserSettings,
)
from fitness_core.models.user import MAX_FAILED_LOGINS, SENSITIVE, validate_password
from fitness_core.services.access import act_as_system, act_as_telegram_account, act_as_user
from fitness_core.units import UnitSystem

TELEGRAM_USER_AGENT = "Telegram chat"
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,50}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Extending the session on every message would be a write per log; once in a while is enough.
ACTIVITY_GRANULARITY = dt.timedelta(minutes=10)


class AccountError(Exception):
    """Something the person must fix; the message is shown to them as is."""


@dataclass(frozen=True)
class Member:
    """The linked person behind a chat, with what replies need to speak their language."""

    user_id: int
    username: str
    full_name: str | None
    role: UserRole
    units: UnitSystem
    timezone: str
    # False when the person is known to have no open goal, so a log need not read goals.
    tracks_goals: bool = True

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local(self, now: dt.datetime) -> dt.datetime:
        return now.astimezone(self.zone)

    def today(self, now: dt.datetime) -> dt.date:
        return self.local(now).date()


@dataclass(frozen=True)
class LoginResult:
    member: Member | None
    message: str


def _member(user: User, settings: UserSettings | None) -> Member:
    return Member(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        units=settings.unit_system if settings else UnitSystem.IMPERIAL,
        timezone=settings.timezone if settings else "UTC",
    )


def check_new_account(username: str, email: str, password: str) -> None:
    if not USERNAME.match(username):
        raise AccountError("Usernames are 3-50 letters, digits, dots, dashes or underscores.")
    if not EMAIL.match(email):
        raise AccountError(f"“{email}” does not look like an email address.")
    try:
        validate_password(password)
    except PasswordPolicyError as error:
        raise AccountError(str(error)) from error


async def _link(session: AsyncSession, user: User, telegram_user_id: int, chat_id: int, now: dt.datetime) -> None:
    """Link this Telegram account to user, replacing any earlier link on either side."""
    await session.execute(
        delete(TelegramLink).where(
            or_(TelegramLink.user_id == user.id, TelegramLink.telegram_user_id == telegram_user_id)
        )
    )
    login = UserSession.create_session(user.id, remember_me=True, user_agent=TELEGRAM_USER_AGENT, now=now)
    session.add(login)
    await session.flush()
    session.add(
        TelegramLink(
            user_id=user.id,
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            linked_at=now,
            session_id=login.session_id,
        )
    )
    session.add(AuditLog.entry(user.id, "link", "telegram_links", user.id, telegram_user_id=telegram_user_id))


async def register(
    session: AsyncSession,
    *,
    username: str,
    email: str,
    password: str,
    telegram_user_id: int,
    chat_id: int,
    now: dt.datetime,
    full_name: str | None = None,
) -> Member:
    check_new_account(username, email, password)
    await act_as_system(session)
    taken = await session.scalar(
        select(User.username).where(
            or_(func.lower(User.username) == username.lower(), func.lower(User.email) == email.lower())
        )
    )
    if taken is not None:
        which = "username" if taken.lower() == username.lower() else "email"
        raise AccountError(f"That {which} is already registered. Try /login, or pick another {which}.")
    user = User(username=username, email=email.lower(), full_name=full_name, failed_login_attempts=0)
    await asyncio.to_thread(user.set_password, password)
    session.add(user)
    await session.flush()
    settings = UserSettings(user_id=user.id)
    session.add(settings)
    session.add(AuditLog.entry(user.id, "register", "users", user.id))
    await _link(session, user, telegram_user_id, chat_id, now)
    await session.flush()
    await act_as_user(session, user.id)
    return _member(user, settings)


async def login(
    session: AsyncSession, *, username: str, password: str, telegram_user_id: int, chat_id: int, now: dt.datetime
) -> LoginResult:
    """Check the password; failures are counted (and must be committed), so they are a result, not an error."""
    await act_as_system(session)
    user = await session.scalar(
        select(User)
        .options(undefer_group(SENSITIVE))
        .where(func.lower(User.username) == username.lower())
        .with_for_update()
    )
    wrong = LoginResult(None, "Wrong username or password.")
    if user is None or not user.is_active:
        return wrong
    if user.is_locked(now):
        minutes = max(1, round((user.locked_until - now).total_seconds() / 60))
        return LoginResult(None, f"Too many failed attempts: this account is locked for {minutes} more minutes.")
    if not await asyncio.to_thread(user.check_password, password):
        user.record_failed_login(now=now)
        session.add(AuditLog.entry(user.id, "login_failed", "users", user.id, telegram_user_id=telegram_user_id))
        if user.is_locked(now):
            return LoginResult(None, "Wrong password, 5 times in a row: this account is locked for 15 minutes.")
        left = MAX_FAILED_LOGINS - user.failed_login_attempts
        return LoginResult(None, f"Wrong username or password. {left} attempts left before a 15-minute lock.")
    user.record_successful_login(now=now)
    session.add(AuditLog.entry(user.id, "login", "users", user.id, telegram_user_id=telegram_user_id))
    await _link(session, user, telegram_user_id, chat_id, now)
    settings = await session.get(UserSettings, user.id)
    await session.flush()
    await act_as_user(session, user.id)
    return LoginResult(_member(user, settings), f"Welcome back, {user.full_name or user.username}.")


async def resolve(
    session: AsyncSession, telegram_user_id: int, now: dt.datetime, *, known_user_id: int | None = None
) -> Member | None:
    """The person linked to this Telegram account, acting as them from here on; None when not linked.

    `known_user_id` is who this account was linked to last time (a cache kept by
    the caller). It is only a hint: the link row must still say so, read under
    that person's own row-level security, or the full lookup runs. That saves
    two statements on almost every message without trusting a stale cache.
    """
    if known_user_id is not None:
        await session.execute(user_context(known_user_id))
        found = await _linked_member(session, telegram_user_id, known_user_id, now)
        if found is not None:
            return found
    await act_as_telegram_account(session, telegram_user_id)
    user_id = await session.scalar(
        select(TelegramLink.user_id).where(TelegramLink.telegram_user_id == telegram_user_id)
    )
    if user_id is None:
        return None
    await act_as_user(session, user_id)
    return await _linked_member(session, telegram_user_id, user_id, now)


# A superset of the goals a log can move (goals.progress_after_log reads the exact set): active ones,
# and ones completed lately, which a corrected log may reopen. None of them: logging skips goals.
_OPEN_GOALS = exists().where(
    UserGoal.user_id == User.id,
    or_(
        UserGoal.status == GoalStatus.ACTIVE,
        and_(UserGoal.status == GoalStatus.COMPLETED, UserGoal.completed_date >= func.current_date() - 1),
    ),
)

# The linked person, their settings and whether their login session is still valid, in one statement
# run on the driver (fitness_core.driver): this runs for every message.
_LINKED = DriverStatement(
    select(
        User.id,
        User.username,
        User.full_name,
        User.role,
        User.is_active,
        UserSettings.unit_system,
        UserSettings.timezone,
        TelegramLink.session_id,
        UserSession.is_valid(bindparam("now")).label("session_valid"),
        UserSession.last_activity,
        _OPEN_GOALS.label("tracks_goals"),
    )
    .select_from(TelegramLink)
    .join(User, User.id == TelegramLink.user_id)
    .outerjoin(UserSettings, UserSettings.user_id == User.id)
    .outerjoin(UserSession, UserSession.session_id == TelegramLink.session_id)
    .where(TelegramLink.user_id == bindparam("user_id"), TelegramLink.telegram_user_id == bindparam("telegram_user_id"))
)


async def _linked_member(session: AsyncSession, telegram_user_id: int, user_id: int, now: dt.datetime) -> Member | None:
    row = await _LINKED.one_or_none(session, now=now, user_id=user_id, telegram_user_id=telegram_user_id)
    if row is None:
        return None
    if not row["is_active"] or not row["session_valid"]:
        await _unlink(session, user_id, "expired")
        return None
    if now - row["last_activity"] >= ACTIVITY_GRANULARITY:
        login_session = await session.get(UserSession, row["session_id"])
        login_session.update_activity(now)
        login_session.extend_session(now=now)
    return Member(
        user_id=row["id"],
        username=row["username"],
        full_name=row["full_name"],
        role=row["role"],
        units=row["unit_system"] or UnitSystem.IMPERIAL,
        timezone=row["timezone"] or "UTC",
        tracks_goals=row["tracks_goals"],
    )


async def _unlink(session: AsyncSession, user_id: int, reason: str) -> None:
    link = await session.get(TelegramLink, user_id)
    if link is None:
        return
    if link.session_id is not None:
        login_session = await session.get(UserSession, link.session_id)
        if login_session is not None and login_session.is_active:
            login_session.revoke(reason)
    await session.delete(link)
    session.add(AuditLog.entry(user_id, "unlink", "telegram_links", user_id, reason=reason))


async def logout(session: AsyncSession, member: Member) -> None:
    await _unlink(session, member.user_id, "logout")


@dataclass(frozen=True)
class Profile:
    user: User
    settings: UserSettings
    email: str


async def profile(session: AsyncSession, member: Member) -> Profile:
    """The person's account; their email needs the system role, which no other read of users has."""
    user = await session.get(User, member.user_id)
    settings = await session.get(UserSettings, member.user_id)
    if settings is None:
        settings = UserSettings(user_id=member.user_id)
        session.add(settings)
        await session.flush()
    await act_as_system(session)
    email = await session.scalar(select(User.email).where(User.id == member.user_id))
    await act_as_user(session, member.user_id)
    return Profile(user, settings, email)
