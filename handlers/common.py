"""What every handler shares: the runtime, one transaction per update, the linked person, replies.

A handler does its work inside `member_transaction` and returns a Reply; the
reply is sent only after the transaction committed, so "saved" is never said
about something that was rolled back.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from fitness_core.db import async_session_factory
from fitness_core.models.base import utcnow
from fitness_core.services import accounts
from fitness_core.services.accounts import Member

NOT_LINKED = (
    "I don't know you yet. Link this chat to an account first:\n"
    "/register <i>username email password</i>, or /login <i>username password</i>."
)


Clock = Callable[[], dt.datetime]
T = TypeVar("T")
KNOWN_LINKS_LIMIT = 100_000  # hints beyond this are simply not kept


@dataclass
class Runtime:
    """Long-lived things handlers need, kept in application.bot_data; tests inject the clock."""

    engine: AsyncEngine
    clock: Clock = utcnow
    # Telegram user id -> the user it was linked to when last seen: a hint for accounts.resolve.
    known_links: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._sessions = async_session_factory(self.engine)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session, session.begin():
            yield session

    async def run(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """`work` in one transaction; once more on a fresh connection if the pooled one was dead.

        The pool does not ping a connection before each use (with asyncpg that is
        three round trips on every update); after a database restart, the first
        statement on an old connection fails, the pool drops all of them, and the
        work runs again from the start. (Should the connection die at COMMIT, the
        first attempt may have been saved: a logged chat message is keyed by its
        message id, so the second attempt then writes nothing.)
        """
        try:
            async with self.transaction() as session:
                return await work(session)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
        async with self.transaction() as session:
            return await work(session)

    async def close(self) -> None:
        await self.engine.dispose()


RUNTIME_KEY = "runtime"


def runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    return context.application.bot_data[RUNTIME_KEY]


@dataclass(frozen=True)
class Reply:
    """HTML text and optional inline buttons: rows of (label, callback data)."""

    text: str
    buttons: Sequence[Sequence[tuple[str, str]]] = ()

    @property
    def markup(self) -> InlineKeyboardMarkup | None:
        if not self.buttons:
            return None
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in self.buttons]
        )


def escape(text: str) -> str:
    return html.escape(text, quote=False)


async def send(update: Update, reply: Reply) -> Message | None:
    """Answer in the update's chat; for a button press, edit the message the button was on.

    Telegram refuses some edits (messages older than 48 hours, deleted ones): the
    answer is then sent as a new message, since the work behind it was saved.
    """
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.answer()
        try:
            await query.edit_message_text(reply.text, parse_mode=ParseMode.HTML, reply_markup=reply.markup)
            return None
        except BadRequest as error:
            if "not modified" in str(error).lower():  # a double press asks for the same text again
                return None
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(reply.text, parse_mode=ParseMode.HTML, reply_markup=reply.markup)


Replies = Reply | Sequence[Reply] | None
MemberWork = Callable[[AsyncSession, Member], Awaitable[Replies]]
UnlinkedWork = Callable[[AsyncSession], Awaitable[Replies]]


async def as_member(
    update: Update, context: ContextTypes.DEFAULT_TYPE, work: MemberWork, *, unlinked: UnlinkedWork | None = None
) -> None:
    """Resolve the linked person, run work in one transaction as them, then reply.

    Someone not linked gets NOT_LINKED, unless `unlinked` does something else for
    them (keeping their log for later) in the same transaction.
    """
    rt = runtime(context)
    telegram_user_id = update.effective_user.id

    async def resolved(session: AsyncSession) -> Replies:
        hint = rt.known_links.get(telegram_user_id)
        member = await accounts.resolve(session, telegram_user_id, rt.clock(), known_user_id=hint)
        if member is None:
            rt.known_links.pop(telegram_user_id, None)
        elif len(rt.known_links) < KNOWN_LINKS_LIMIT or telegram_user_id in rt.known_links:
            rt.known_links[telegram_user_id] = member.user_id
        if member is not None:
            return await work(session, member)
        return Reply(NOT_LINKED) if unlinked is None else await unlinked(session)

    replies = await rt.run(resolved)
    for reply in [replies] if isinstance(replies, Reply) else replies or ():
        await send(update, reply)


def command_text(update: Update) -> str:
    """What follows the /command on its line, with the bot's @name removed."""
    text = update.effective_message.text or ""
    first, _, rest = text.partition(" ")
    return rest.strip() if first.startswith("/") else text.strip()
