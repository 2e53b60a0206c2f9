"""/session (guided or one line) and /actions: coaching sessions, their action items and ratings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from fitness_core.models import CoachingSession, UserRole
from fitness_core.services import coaching, session_line
from fitness_core.services.accounts import Member
from fitness_core.services.coaching import ActionItem, ClientActions, CoachingError
from fitness_core.services.session_line import SessionDraft
from handlers.coach import (
    CoachWork,
    Outbox,
    action_item_text,
    clock_now,
    notify,
    person_name,
    run_work,
)
from handlers.common import (
    Reply,
    command_text,
    escape,
    send,
)

SESSION_EXAMPLE = (
    "/session sam 45min topics: sleep, protein | feedback: great week | "
    "actions: walk 8k steps daily; protein 160g | next: dec 2"
)
SESSION_HELP = (
    "<b>/session</b> records a coaching session with one of your clients.\n\n"
    "<b>Step by step</b>: <code>/session sam</code>, then answer each question "
    "(<code>skip</code> leaves one out, /cancel stops).\n\n"
    "<b>On one line</b>: <code>/session sam [date] [duration] key: value | key: value ...</code>\n"
    "  <code>date:</code> when it was, default today (today, yesterday, nov 24, 2026-11-24)\n"
    "  <code>duration:</code> 45min, 1h, 1h30\n"
    "  <code>topics:</code> separated by commas\n"
    "  <code>notes:</code> your discussion notes\n"
    "  <code>feedback:</code> what your client reads from you\n"
    "  <code>actions:</code> action items, separated by <code>;</code>\n"
    "  <code>next:</code> the next session (dec 2, mon, in 2 weeks)\n"
    "Parts are separated by <code>|</code>. A date and a duration with its unit may come first without a key.\n"
    f"Example: <code>{escape(SESSION_EXAMPLE)}</code>\n\n"
    "Your client gets your feedback, each action item with a Done button, and a 1-10 rating question."
)


@dataclass(frozen=True)
class Step:
    key: str  # a key of session_line.FIELDS
    prompt: str


STEPS = (
    Step("date", "When was it? (today, yesterday, nov 24) <code>skip</code> = today."),
    Step("duration", "How long? (45min, 1h30)"),
    Step("topics", "Topics, separated by commas?"),
    Step("notes", "Discussion notes?"),
    Step("feedback", "Your feedback, as your client will read it?"),
    Step("actions", "Action items, one per line?"),
    Step("next", "Date of the next session? (dec 2, mon, in 2 weeks)"),
)
SKIP = "skip"
GUIDED = "coach_session"


@dataclass
class Guided:
    """The /session conversation so far, kept in user_data."""

    client: str
    today: dt.date  # the coach's, when the conversation started: dates are read against it
    draft: SessionDraft
    step: int = 0


def _prompt(step: int) -> Reply:
    return Reply(f"{step + 1}/{len(STEPS)} {STEPS[step].prompt} (<code>{SKIP}</code>, /cancel)")


async def session_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data.pop(GUIDED, None)
    name, _, details = command_text(update).partition(" ")
    if not name or name.lower() == "help":
        await run_work(update, context, _help)
        return ConversationHandler.END
    if details.strip():
        await run_work(update, context, _one_line(name, details, clock_now(context)))
        return ConversationHandler.END

    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        client = await coaching.find_client(session, member, name)
        today = member.today(clock_now(context))
        context.user_data[GUIDED] = Guided(client.username, today, SessionDraft(session_date=today))
        first = _prompt(0)
        return Reply(f"Session with <b>{person_name(client)}</b>.\n{first.text}")

    await run_work(update, context, work)
    return 0 if GUIDED in context.user_data else ConversationHandler.END


async def _help(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
    coaching.require_coach(member)
    return Reply(SESSION_HELP)


def _one_line(name: str, details: str, now: dt.datetime) -> CoachWork:
    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        coaching.require_coach(member)
        draft = session_line.parse_session_line(details, member.today(now))
        return await _save(session, member, outbox, name, draft)

    return work


async def session_step(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """One answer of the guided /session: read it with the same field readers as the one line."""
    guided: Guided | None = context.user_data.get(GUIDED)
    if guided is None:
        return ConversationHandler.END
    text = update.effective_message.text
    if text.strip().lower() != SKIP:
        try:
            step = STEPS[guided.step]
            guided.draft = session_line.apply_field(guided.draft, step.key, text, guided.today).checked()
        except CoachingError as error:
            await send(update, Reply(f"{escape(str(error))}\nTry again, or <code>{SKIP}</code>."))
            return guided.step
    guided.step += 1
    if guided.step < len(STEPS):
        await send(update, _prompt(guided.step))
        return guided.step
    context.user_data.pop(GUIDED, None)
    await run_work(
        update, context, lambda session, member, outbox: _save(session, member, outbox, guided.client, guided.draft)
    )
    return ConversationHandler.END


async def session_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data.pop(GUIDED, None)
    await send(update, Reply("Cancelled. No session was saved."))
    return ConversationHandler.END


async def _save(session: AsyncSession, member: Member, outbox: Outbox, client: str, draft: SessionDraft) -> Reply:
    recorded = await coaching.record_session(session, member, client, draft)
    sent = notify(outbox, recorded.client_chat_id, *_client_messages(recorded, member))
    delivery = (
        f"Sent to {person_name(recorded.client)} with a Done button per action item."
        if sent
        else f"{person_name(recorded.client)} has no chat linked right now: they will find it in /actions."
    )
    return Reply(f"Saved.\n\n{_session_text(recorded.session)}\n\n{delivery}")


def _date(day: dt.date) -> str:
    """Dates in messages read later (a notification, a saved record): never "today"."""
    return f"{day:%a %b %-d}"


def _session_text(row: CoachingSession) -> str:
    head = _date(row.session_date)
    if row.duration_minutes:
        head += f", {row.duration_minutes} min"
    lines = [f"<b>Coaching session</b> {head}"]
    if row.topics:
        lines.append("Topics: " + escape(", ".join(row.topics)))
    if row.discussion_notes:
        lines.append("Notes: " + escape(row.discussion_notes))
    if row.coach_feedback:
        lines.append("Feedback: " + escape(row.coach_feedback))
    lines += [f"{n}. {escape(item)}" for n, item in enumerate(row.action_items, 1)]
    if row.next_session_date:
        lines.append(f"Next session: {_date(row.next_session_date)}")
    return "\n".join(lines)


def _client_messages(recorded: coaching.Recorded, coach: Member) -> list[Reply]:
    """What the client receives: the session, one message per action item with Done, the rating question."""
    row = recorded.session
    intro = Reply(f"From your coach {person_name(coach)}:\n\n{_session_text(row)}")
    items = [
        Reply(f"☐ {escape(item)}", [[("✅ Done", f"coach:done:{row.id}:{number}")]])
        for number, item in enumerate(row.action_items, 1)
    ]
    scores = [(str(n), f"coach:rate:{row.id}:{n}") for n in range(1, 11)]
    rating = Reply("How useful was this session? 1 = not at all, 10 = very.", [scores[:5], scores[5:]])
    return [intro, *items, rating]


# --- action items --------------------------------------------------------------------------------

LIST = "list"


async def actions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        return await _actions_view(session, member, member.today(clock_now(context)))

    await run_work(update, context, work)


async def _actions_view(session: AsyncSession, member: Member, today: dt.date) -> Reply:
    """A coach's clients' items (done ones ticked), then one's own open items with Done buttons."""
    sections = []
    if member.role is UserRole.COACH:
        groups = await coaching.clients_actions(session, member, today)
        sections.append(_clients_actions_text(groups))
    mine = await coaching.my_open_actions(session, member, today)
    if mine or not sections:
        sections.append(_my_actions_text(mine))
    buttons = [[(f"✅ {item.text[:40]}", f"coach:done:{item.session_id}:{item.number}:{LIST}")] for item in mine]
    return Reply("\n\n".join(sections), buttons)


def _clients_actions_text(groups: Sequence[ClientActions]) -> str:
    if not groups:
        return "<b>Your clients' action items</b>\nNone yet: give some with /session."
    blocks = [
        f"<b>{person_name(group.client)}</b>\n" + "\n".join(action_item_text(item) for item in group.items)
        for group in groups
    ]
    return "<b>Your clients' action items</b>\n" + "\n".join(blocks)


def _my_actions_text(items: Sequence[ActionItem]) -> str:
    if not items:
        return "<b>Your action items</b>\nNothing open. 🎉"
    return "<b>Your action items</b>\n" + "\n".join(action_item_text(item) for item in items)


async def done_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    session_id, number, view = int(context.match[1]), int(context.match[2]), context.match[3]

    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        today = member.today(clock_now(context))
        row = await coaching.mark_action_done(session, member, session_id, number, today)
        if view == LIST:
            return await _actions_view(session, member, today)
        finished = "\nAll action items of this session are done. 🎉" if row.completed else ""
        return Reply(f"✅ {escape(row.action_items[number - 1])}: done{finished}")

    await run_work(update, context, work)


async def rate_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    session_id, rating = int(context.match[1]), int(context.match[2])

    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        await coaching.rate_session(session, member, session_id, rating)
        return Reply(f"Thanks! You rated this session {rating}/10.")

    await run_work(update, context, work)


TEXT = filters.TEXT & ~filters.COMMAND

HANDLERS = [
    ConversationHandler(
        entry_points=[CommandHandler("session", session_start)],
        states={number: [MessageHandler(TEXT, session_step)] for number in range(len(STEPS))},
        fallbacks=[CommandHandler("cancel", session_cancel)],
        name="coach_session",
    ),
    CommandHandler("actions", actions),
    CallbackQueryHandler(done_pressed, pattern=rf"^coach:done:(\d+):(\d+)(?::({LIST}))?$"),
    CallbackQueryHandler(rate_pressed, pattern=r"^coach:rate:(\d+):(\d+)$"),
]

COMMANDS = [
    ("actions", "Your action items (coaches: your clients')"),
    ("session", "Coaches: record a coaching session"),
]
