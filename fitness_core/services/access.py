"""Who the current transaction acts for, as row-level security sees it."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core.db import SYSTEM_CONTEXT, user_context

TELEGRAM_SETTING = "app.telegram_user_id"
_BACK_TO_LOGIN_ROLE = text("RESET ROLE")


async def act_as_user(session: AsyncSession, user_id: int) -> None:
    """From here to the end of the transaction, only this person's rows (and their clients', read-only)."""
    await session.execute(_BACK_TO_LOGIN_ROLE)
    await session.execute(user_context(user_id))


async def act_as_telegram_account(session: AsyncSession, telegram_user_id: int) -> None:
    """Before a chat is linked, the Telegram account may read its own link and its pending messages."""
    await session.execute(select(func.set_config(TELEGRAM_SETTING, str(int(telegram_user_id)), True)))


async def act_as_system(session: AsyncSession) -> None:
    """Across users, for sign-in lookups, scans and operators; ends with the transaction."""
    await session.execute(SYSTEM_CONTEXT)
