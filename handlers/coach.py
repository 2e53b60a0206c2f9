"""Coaching in the chat: what coach and client share (running work, notices), and invites and links.

Coach and client talk through the bot: when one side acts, the other is told in
their own chat. Those notices are collected while the transaction runs and sent
only after it committed, like every reply. /clients and /review are in
review.py; /session and /actions in coaching_sessions.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from fitness_core.services import coaching
from fitness_core.services.accounts import Member
from fitness_core.services.coaching import ActionItem, CoachingError
from handlers.common import (
    NOT_LINKED,
    Replies,
    Reply,
    UnlinkedWork,
    as_member,
    command_text,
    escape,
    runtime,
    send,
)

log = logging.getLogger(__name__)

PAGE_CHARS = 3500  # a message holds 4096; lines are never split, so leave room for the longest

# --- plumbing -------------------------------------------------------------------------------------

Outbox = list[tuple[int, Reply]]
"""Messages for other chats (chat id, reply), sent after the transaction committed."""

CoachWork = Callable[[AsyncSession, Member, Outbox], Awaitable[Replies]]


async def run_work(
    update: Update, context: ContextTypes.DEFAULT_TYPE, work: CoachWork, *, unlinked: UnlinkedWork | None = None
) -> None:
    """as_member, answering a CoachingError with its message, then delivering the outbox."""
    outbox: Outbox = []

    async def guarded(session: AsyncSession, member: Member) -> Replies:
        try:
            return await work(session, member, outbox)
        except CoachingError as error:
            return Reply(escape(str(error)))

    await as_member(update, context, guarded, unlinked=unlinked)
    await _deliver(context.bot, outbox)


async def _deliver(bot: Bot, outbox: Outbox) -> None:
    for chat_id, reply in outbox:
        try:
            await bot.send_message(chat_id, reply.text, parse_mode=ParseMode.HTML, reply_markup=reply.markup)
        except TelegramError as error:  # blocked the bot, chat gone: the record is saved all the same
            log.warning("could not notify chat %s: %s", chat_id, error)


def notify(outbox: Outbox, chat_id: int | None, *replies: Reply) -> bool:
    """Queue messages for someone else's chat; False when they have no linked chat to receive them."""
    if chat_id is None:
        return False
    outbox.extend((chat_id, reply) for reply in replies)
    return True


def paged(lines: Sequence[str]) -> list[Reply]:
    """Lines in as many messages as they need (Telegram holds 4096 characters per message)."""
    pages: list[str] = []
    for line in lines:
        if pages and len(pages[-1]) + len(line) < PAGE_CHARS:
            pages[-1] += "\n" + line
        else:
            pages.append(line)
    return [Reply(page) for page in pages]


def person_name(person: coaching.Person | Member) -> str:
    """ "Sam Lee (@sam)", or "@sam" without a full name: how coach and client see each other."""
    return escape(f"{person.full_name} (@{person.username})" if person.full_name else f"@{person.username}")


def counted(number: int, word: str) -> str:
    """ "1 workout", "3 workouts"."""
    return f"{number} {word}{'' if number == 1 else 's'}"


def clock_now(context: ContextTypes.DEFAULT_TYPE) -> dt.datetime:
    return runtime(context).clock()


def action_item_text(item: ActionItem) -> str:
    mark = "✅" if item.done else "☐"
    return f"{mark} {escape(item.text)}{' ⚠️ overdue' if item.overdue and not item.done else ''}"


# --- invites and links ----------------------------------------------------------------------------

# Exactly what the policies let an active coach read (migrations 001 and 003).
SHARED_WITH_COACH = (
    "your weight and body measurements",
    "your workouts",
    "your meals",
    "your goals",
    "your settings, like your time zone",
    "progress photos: only those you share",
)


def _sharing(intro: str) -> str:
    items = "\n".join(f"• {item}" for item in SHARED_WITH_COACH)
    return (
        f"{intro}\n{items}\nNever your password, your email or your Telegram account.\n"
        "You can stop at any time with /leave."
    )


async def invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        made = await coaching.create_invite(session, member, clock_now(context))
        link = f"https://t.me/{context.bot.username}?start={made.code}"
        return Reply(
            f"Send this link to your new client:\n{link}\n\n"
            f"Or they send me <code>/join {made.code}</code>.\n"
            f"It works once, until {member.local(made.expires_at):%b %-d, %H:%M}."
        )

    await run_work(update, context, work)


async def _offer_invite(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, unlinked: UnlinkedWork | None = None
) -> None:
    """Show who invites and exactly what they would see, with Join / No thanks."""

    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        if not text.strip():
            return Reply("Send /join with your coach's code, e.g. <code>/join K7MQ2XPA</code>.")
        code = coaching.normalize_code(text)
        coach = await coaching.preview_invite(session, member, code, clock_now(context))
        return Reply(
            f"<b>{person_name(coach)}</b> invites you to be coached.\n\n"
            + _sharing("If you join, your coach will see:"),
            [[("Join", f"coach:join:{code}"), ("No thanks", f"coach:decline:{code}")]],
        )

    await run_work(update, context, work, unlinked=unlinked)


async def join(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _offer_invite(update, context, command_text(update))


async def start_with_invite(update: Update, context: ContextTypes.DEFAULT_TYPE, code: str) -> None:
    """/start <code>, from an invite link: the same offer as /join, or how to get there first."""

    async def not_yet(_session: AsyncSession) -> list[Reply]:
        then = f"Once your account is linked, send <code>/join {escape(code)}</code> to accept."
        return [Reply(NOT_LINKED), Reply(then)]

    await _offer_invite(update, context, code, unlinked=not_yet)


async def join_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    code = context.match[1]

    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        joined = await coaching.accept_invite(session, member, code, clock_now(context))
        notify(
            outbox,
            joined.coach_chat_id,
            Reply(f"🎉 {person_name(member)} accepted your invite and is now your client. See them in /clients."),
        )
        return Reply(
            f"You joined <b>{person_name(joined.coach)}</b> as your coach.\n\n" + _sharing("Your coach now sees:")
        )

    await run_work(update, context, work)


async def decline_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(
        update,
        Reply(
            "No problem: nothing is shared. The invite stays valid if you change your mind: "
            f"<code>/join {context.match[1]}</code>."
        ),
    )


async def leave(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        ended = await coaching.leave_coach(session, member, command_text(update) or None, clock_now(context))
        notify(outbox, ended.other_chat_id, Reply(f"{person_name(member)} ended coaching with you."))
        return Reply(f"Done: {person_name(ended.other)} is no longer your coach and no longer sees your data.")

    await run_work(update, context, work)


async def drop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        coaching.require_coach(member)
        name = command_text(update)
        if not name:
            return Reply("Say whom: <code>/drop username</code>.")
        ended = await coaching.drop_client(session, member, name, clock_now(context))
        notify(
            outbox,
            ended.other_chat_id,
            Reply(f"{person_name(member)} ended coaching with you: they no longer see your data."),
        )
        return Reply(f"Done: {person_name(ended.other)} is no longer your client; your access to their data has ended.")

    await run_work(update, context, work)


HANDLERS = [
    CommandHandler("invite", invite),
    CommandHandler("join", join),
    CommandHandler("leave", leave),
    CommandHandler("drop", drop),
    CallbackQueryHandler(join_pressed, pattern=r"^coach:join:(\w+)$"),
    CallbackQueryHandler(decline_pressed, pattern=r"^coach:decline:(\w+)$"),
]

COMMANDS = [
    ("join", "Accept a coach's invite code"),
    ("leave", "Stop being coached"),
    ("invite", "Coaches: a link for a new client"),
    ("drop", "Coaches: stop coaching a client"),
]
