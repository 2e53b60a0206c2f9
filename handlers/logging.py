"""Logging by chat: text -> parsed entries -> one journal call -> what was saved, with an Undo button.

A bare number is asked about first (Yes / No), text with a mistake gets the
parser's precise error and saves nothing, a greeting gets a friendly word.
Someone not linked yet is told how to link, and their log is kept until they
do (handlers.pending logs it then, through `answer` like a live message).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from fitness_core import formatting
from fitness_core.parsing import Entry, ParseError, ParseResult, Question, parse_message
from fitness_core.services import goals, journal
from fitness_core.services.access import act_as_telegram_account
from fitness_core.services.accounts import Member
from fitness_core.units import UnitSystem
from handlers.common import NOT_LINKED, Reply, as_member, escape, runtime, send

QUESTIONS_KEY = "log_questions"  # chat_data: token -> (entry, text) of a question waiting for Yes / No
MAX_QUESTIONS = 20  # per chat; older unanswered questions expire
MAX_LINES = 25  # a reply stays far below Telegram's 4096 characters
QUOTE_CHARS = 80

UNDO_DATA, YES_DATA, NO_DATA = "undo:", "log:yes:", "log:no:"

EXAMPLES = (
    "\n  <code>weight 182 bf 18</code>\n  <code>bench 3x5 @ 185</code>\n  <code>lunch chicken salad 450 kcal 40p</code>"
)
KEPT = "\n\nI'll keep your message and log it as soon as this chat is linked."
EXPIRED = "That question has expired (I may have restarted in between). Please send it again."


@dataclass(frozen=True)
class Source:
    """The chat message being logged; `sent_at` is set for a message kept from before linking."""

    chat_id: int
    message_id: int
    text: str
    sent_at: dt.datetime | None = None

    @property
    def earlier(self) -> bool:
        return self.sent_at is not None


def quote(text: str) -> str:
    """User text in “quotes”, shortened, escaped for HTML."""
    text = " ".join(text.split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1] + "…"
    return f"“{escape(text)}”"


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[:MAX_LINES], f"… and {len(lines) - MAX_LINES} more."]


# ----------------------------------------------------------------------------- replies


def saved_reply(
    logged: journal.Logged,
    units: UnitSystem,
    today: dt.date,
    lead: str = "Logged",
    events: Sequence[goals.GoalEvent] = (),
) -> Reply:
    """What was saved, by day, in the person's units, with the Undo button, then what it did to goals."""
    days: dict[dt.date, list[str]] = {}
    for saved in logged.saved:
        line = formatting.logged(saved.kind, dict(saved.values), dict(saved.previous), units)
        days.setdefault(saved.date, []).append(f"• {escape(line)}")
    if len(days) == 1:
        [(date, lines)] = days.items()
        text = [f"{lead} for {formatting.day(date, today)}:", *lines]
    else:
        text = [f"{lead}:"]
        for date, lines in days.items():
            name = formatting.day(date, today)
            text += [f"<b>{name[:1].upper()}{name[1:]}</b>", *lines]
    text += [escape(event.text) for event in events]
    return Reply("\n".join(_capped(text)), [[("Undo", f"{UNDO_DATA}{logged.logged_message_id}")]])


def _error_line(error: ParseError) -> str:
    """The parser's message, quoting the text it is about (unless it already does) and the examples."""
    if error.span.text in error.message:
        line = f"• {escape(error.message)}"
    else:
        line = f"• {quote(error.span.text)}: {escape(error.message)}"
    if error.examples and not all(example in error.message for example in error.examples):
        line += "\n  Try e.g. " + ", ".join(f"<code>{escape(example)}</code>" for example in error.examples)
    return line


def errors_reply(errors: Sequence[ParseError], source: Source) -> Reply:
    if source.earlier:
        head = f"Your earlier message {quote(source.text)} was not logged:"
    else:
        head = "Nothing was saved. Please fix this and send it again:"
    return Reply("\n".join(_capped([head, *(_error_line(error) for error in errors)])))


def nothing_reply(result: ParseResult, member: Member) -> Reply:
    """Not an error: greetings, titles and notes to self just log nothing."""
    if any(ignored.reason == "greeting" for ignored in result.ignored):
        head = f"Hi {escape(member.full_name or member.username)}! Nothing to log in that."
    else:
        head = "Got it, nothing to log there."
    return Reply(f"{head} To log something, send e.g.{EXAMPLES}")


def _remember(context: ContextTypes.DEFAULT_TYPE, entry: Entry, text: str) -> str:
    """Keep a question's entry for its Yes button, under a short token (callback data is at most 64 bytes)."""
    questions = context.chat_data.setdefault(QUESTIONS_KEY, {})
    token = secrets.token_urlsafe(6)
    questions[token] = (entry, text)
    while len(questions) > MAX_QUESTIONS:
        questions.pop(next(iter(questions)))
    return token


def question_reply(context: ContextTypes.DEFAULT_TYPE, question: Question, source: Source) -> Reply:
    token = _remember(context, question.entry, question.span.text or source.text)
    about = f"About your earlier message {quote(source.text)}: " if source.earlier else ""
    return Reply(f"{about}{escape(question.text)}", [[("Yes", f"{YES_DATA}{token}"), ("No", f"{NO_DATA}{token}")]])


# ----------------------------------------------------------------------------- logging a message


async def log_entries(
    session: AsyncSession, member: Member, entries: Sequence[Entry], source: Source, now: dt.datetime
) -> tuple[journal.Logged, list[goals.GoalEvent]]:
    """One journal call for the message, then the goals it moves, in the same transaction."""
    logged = await journal.log(
        session, member.user_id, entries, chat_id=source.chat_id, message_id=source.message_id, text=source.text
    )
    if logged.duplicate or not member.tracks_goals:
        return logged, []
    events = await goals.progress_after_log(
        session,
        member.user_id,
        member.today(now),
        kinds={saved.kind for saved in logged.saved},
        exercise_names={saved.values["exercise_name"] for saved in logged.saved if saved.kind == "exercise"},
    )
    return logged, events


async def answer(
    session: AsyncSession, member: Member, context: ContextTypes.DEFAULT_TYPE, source: Source, now: dt.datetime
) -> list[Reply]:
    """Parse a linked person's message, log it in one journal call, and say what happened.

    Dates are relative to the person's day when they sent it (a message kept
    from before linking keeps its own day); an empty list means a redelivered
    message, which stays unanswered.
    """
    result = parse_message(source.text, today=member.today(source.sent_at or now), units=member.units)
    if result.errors:
        return [errors_reply(result.errors, source)]
    replies = []
    if result.entries:
        logged, events = await log_entries(session, member, result.entries, source, now)
        if logged.duplicate:
            return []
        lead = f"Logged your earlier message {quote(source.text)}" if source.earlier else "Logged"
        replies.append(saved_reply(logged, member.units, member.today(now), lead, events))
    replies.extend(question_reply(context, question, source) for question in result.questions)
    if not replies and not source.earlier:
        replies.append(nothing_reply(result, member))
    return replies


async def _keep_for_later(session: AsyncSession, telegram_user_id: int, source: Source, now: dt.datetime) -> Reply:
    """Someone not linked: say how to link, and keep a log (not a greeting) to save once they have."""
    result = parse_message(source.text, today=now.date())
    if not (result.entries or result.questions):
        return Reply(NOT_LINKED)
    await act_as_telegram_account(session, telegram_user_id)
    await journal.keep_pending(
        session,
        telegram_user_id,
        chat_id=source.chat_id,
        message_id=source.message_id,
        text=source.text,
        now=now,
    )
    return Reply(NOT_LINKED + KEPT)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text: log it for a linked person; keep it for someone who has not linked yet."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    now = runtime(context).clock()
    source = Source(message.chat_id, message.message_id, message.text)
    await as_member(
        update,
        context,
        lambda session, member: answer(session, member, context, source, now),
        unlinked=lambda session: _keep_for_later(session, user.id, source, now),
    )


# ----------------------------------------------------------------------------- Yes / No


async def on_yes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the question's entry as asked, without parsing again; the question message is its journal key."""
    query = update.callback_query
    token = query.data.removeprefix(YES_DATA)
    asked = context.chat_data.get(QUESTIONS_KEY, {}).get(token)
    if asked is None or query.message is None:
        await send(update, Reply(EXPIRED))
        return
    entry, text = asked
    rt = runtime(context)
    duplicate = False

    async def work(session: AsyncSession, member: Member) -> Reply | None:
        nonlocal duplicate
        now = rt.clock()
        source = Source(query.message.chat.id, query.message.message_id, text)
        logged, events = await log_entries(session, member, [entry], source, now)
        duplicate = logged.duplicate
        return None if duplicate else saved_reply(logged, member.units, member.today(now), events=events)

    await as_member(update, context, work)
    context.chat_data.get(QUESTIONS_KEY, {}).pop(token, None)
    if duplicate:  # the other press answered; this one only stops the button's spinner
        await query.answer()


async def on_no(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    context.chat_data.get(QUESTIONS_KEY, {}).pop(update.callback_query.data.removeprefix(NO_DATA), None)
    await send(update, Reply("OK, I didn't log that."))


# ----------------------------------------------------------------------------- undo


def undone_reply(undone: journal.Undone, units: UnitSystem, today: dt.date) -> Reply:
    if undone.status is journal.UndoStatus.NOT_FOUND:
        if undone.logged_message_id is None:
            return Reply("There is nothing to undo: every log of yours is already undone.")
        return Reply("I can't find that log any more.")
    if undone.status is journal.UndoStatus.ALREADY_UNDONE:
        return Reply(f"{quote(undone.text)} was already undone.")
    lines = [f"Undone: {quote(undone.text)}."]
    if undone.restored:
        lines.append("Back to what it was before:")
        lines += [
            f"• {formatting.day(saved.date, today)}: "
            + escape(formatting.logged(saved.kind, dict(saved.values), dict(saved.previous), units))
            for saved in undone.restored
        ]
    if undone.kept:
        kept = ", ".join(
            f"{formatting.field_label(column)} ({formatting.day(date, today)})" for _, date, column in undone.kept
        )
        lines.append(f"Left as they are, because a later log changed them: {escape(kept)}.")
    return Reply("\n".join(_capped(lines)))


async def _undo(update: Update, context: ContextTypes.DEFAULT_TYPE, logged_message_id: int | None) -> None:
    rt = runtime(context)

    async def work(session: AsyncSession, member: Member) -> Reply:
        now = rt.clock()
        undone = await journal.undo(session, member.user_id, logged_message_id, now=now)
        reply = undone_reply(undone, member.units, member.today(now))
        events = await goals.refresh_all(session, member.user_id, member.today(now))
        if not events:
            return reply
        return Reply("\n".join([reply.text, *(escape(event.text) for event in events)]), reply.buttons)

    await as_member(update, context, work)


async def undo_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _undo(update, context, None)


async def on_undo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _undo(update, context, int(update.callback_query.data.removeprefix(UNDO_DATA)))


HANDLERS = [
    CommandHandler("undo", undo_command),
    CallbackQueryHandler(on_undo, pattern=r"^undo:\d{1,18}$"),
    CallbackQueryHandler(on_yes, pattern=r"^log:yes:[\w-]+$"),
    CallbackQueryHandler(on_no, pattern=r"^log:no:[\w-]+$"),
    # Last: whatever text no conversation or command took. Edits of a message are not new logs.
    MessageHandler(filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, on_text),
]

COMMANDS = [("undo", "Undo your last log")]
