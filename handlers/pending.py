"""Logs sent before linking: once the chat is linked, they are logged like live messages.

handlers.logging keeps such a message (as the Telegram account, the only
identity there is before linking); handlers.account calls `log_after_link`
after /register or /login succeeded and committed.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import ContextTypes

from fitness_core.services import journal
from fitness_core.services.access import act_as_telegram_account, act_as_user
from fitness_core.services.accounts import Member
from handlers.common import Reply, runtime, send
from handlers.logging import Source, answer


async def log_after_link(update: Update, context: ContextTypes.DEFAULT_TYPE, member: Member) -> None:
    """Take the kept messages and log each through the same call as a live one, replying per message.

    One new transaction acting as the person and as their Telegram account
    (the kept rows belong to the latter): if anything fails, the messages stay
    kept and nothing of them is saved.
    """
    user = update.effective_user
    if user is None:
        return
    rt = runtime(context)
    now = rt.clock()

    async def log_kept(session: AsyncSession) -> list[Reply]:
        await act_as_user(session, member.user_id)
        await act_as_telegram_account(session, user.id)
        replies = []
        for kept in await journal.take_pending(session, user.id, now=now):
            source = Source(kept.chat_id, kept.message_id, kept.text, sent_at=kept.received_at)
            replies.extend(await answer(session, member, context, source, now))
        return replies

    for reply in await rt.run(log_kept):
        await send(update, reply)
