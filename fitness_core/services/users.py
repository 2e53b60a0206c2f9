"""Operator work on accounts (the admin CLI): list, create, change roles. Runs across users as system."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer_group

from fitness_core.models import AuditLog, TelegramLink, User, UserRole, UserSettings
from fitness_core.models.user import SENSITIVE
from fitness_core.services.access import act_as_system
from fitness_core.services.accounts import AccountError, check_new_account


@dataclass(frozen=True)
class UserLine:
    id: int
    username: str
    email: str
    role: UserRole
    created_at: dt.datetime
    last_login: dt.datetime | None
    telegram_linked: bool
    locked: bool


async def list_users(session: AsyncSession, now: dt.datetime) -> list[UserLine]:
    await act_as_system(session)
    rows = await session.execute(
        select(User, TelegramLink.user_id.is_not(None))
        .options(undefer_group(SENSITIVE))
        .outerjoin(TelegramLink, TelegramLink.user_id == User.id)
        .order_by(User.id)
    )
    return [
        UserLine(u.id, u.username, u.email, u.role, u.created_at, u.last_login, linked, u.is_locked(now))
        for u, linked in rows
    ]


async def _by_username(session: AsyncSession, username: str) -> User:
    user = await session.scalar(
        select(User).options(undefer_group(SENSITIVE)).where(func.lower(User.username) == username.lower())
    )
    if user is None:
        raise AccountError(f"No user named “{username}”.")
    return user


async def set_role(session: AsyncSession, username: str, role: UserRole) -> User:
    await act_as_system(session)
    user = await _by_username(session, username)
    before = user.role
    user.role = role
    session.add(AuditLog.about(None, "set_role", user, before=before.value, after=role.value, by="operator"))
    return user


async def create_user(
    session: AsyncSession, *, username: str, email: str, password: str, role: UserRole, full_name: str | None = None
) -> User:
    check_new_account(username, email, password)
    await act_as_system(session)
    clash = await session.scalar(
        select(func.count()).where(
            (func.lower(User.username) == username.lower()) | (func.lower(User.email) == email.lower())
        )
    )
    if clash:
        raise AccountError("That username or email is already registered.")
    user = User(username=username, email=email.lower(), role=role, full_name=full_name, failed_login_attempts=0)
    await asyncio.to_thread(user.set_password, password)
    session.add(user)
    await session.flush()
    session.add(UserSettings(user_id=user.id))
    session.add(AuditLog.about(None, "create", user, by="operator"))
    return user
