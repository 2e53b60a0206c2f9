"""Coaching in the chat: invites and links, /clients, /review, /session, /actions.

Coach and client talk through the bot: when one side acts, the other is told in
their own chat. Those notices are collected while the transaction runs and sent
only after it committed, like every reply.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from fitness_core import formatting
from fitness_core.models import CoachingSession, GoalStatus, UserRole
from fitness_core.services import coaching, review, session_line
from fitness_core.services.accounts import Member
from fitness_core.services.coaching import ActionItem, ClientActions, CoachingError
from fitness_core.services.review import ClientLine, Review
from fitness_core.services.session_line import SessionDraft
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


async def _run(
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


def _notify(outbox: Outbox, chat_id: int | None, *replies: Reply) -> bool:
    """Queue messages for someone else's chat; False when they have no linked chat to receive them."""
    if chat_id is None:
        return False
    outbox.extend((chat_id, reply) for reply in replies)
    return True


def _paged(lines: Sequence[str]) -> list[Reply]:
    """Lines in as many messages as they need (Telegram holds 4096 characters per message)."""
    pages: list[str] = []
    for line in lines:
        if pages and len(pages[-1]) + len(line) < PAGE_CHARS:
            pages[-1] += "\n" + line
        else:
            pages.append(line)
    return [Reply(page) for page in pages]


def _name(person: coaching.Person | Member) -> str:
    """ "Sam Lee (@sam)", or "@sam" without a full name: how coach and client see each other."""
    return escape(f"{person.full_name} (@{person.username})" if person.full_name else f"@{person.username}")


def _count(number: int, word: str) -> str:
    """ "1 workout", "3 workouts"."""
    return f"{number} {word}{'' if number == 1 else 's'}"


def _now(context: ContextTypes.DEFAULT_TYPE) -> dt.datetime:
    return runtime(context).clock()


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
        made = await coaching.create_invite(session, member, _now(context))
        link = f"https://t.me/{context.bot.username}?start={made.code}"
        return Reply(
            f"Send this link to your new client:\n{link}\n\n"
            f"Or they send me <code>/join {made.code}</code>.\n"
            f"It works once, until {member.local(made.expires_at):%b %-d, %H:%M}."
        )

    await _run(update, context, work)


async def _offer_invite(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, unlinked: UnlinkedWork | None = None
) -> None:
    """Show who invites and exactly what they would see, with Join / No thanks."""

    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        if not text.strip():
            return Reply("Send /join with your coach's code, e.g. <code>/join K7MQ2XPA</code>.")
        code = coaching.normalize_code(text)
        coach = await coaching.preview_invite(session, member, code, _now(context))
        return Reply(
            f"<b>{_name(coach)}</b> invites you to be coached.\n\n" + _sharing("If you join, your coach will see:"),
            [[("Join", f"coach:join:{code}"), ("No thanks", f"coach:decline:{code}")]],
        )

    await _run(update, context, work, unlinked=unlinked)


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
        joined = await coaching.accept_invite(session, member, code, _now(context))
        _notify(
            outbox,
            joined.coach_chat_id,
            Reply(f"🎉 {_name(member)} accepted your invite and is now your client. See them in /clients."),
        )
        return Reply(f"You joined <b>{_name(joined.coach)}</b> as your coach.\n\n" + _sharing("Your coach now sees:"))

    await _run(update, context, work)


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
        ended = await coaching.leave_coach(session, member, command_text(update) or None, _now(context))
        _notify(outbox, ended.other_chat_id, Reply(f"{_name(member)} ended coaching with you."))
        return Reply(f"Done: {_name(ended.other)} is no longer your coach and no longer sees your data.")

    await _run(update, context, work)


async def drop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        coaching.require_coach(member)
        name = command_text(update)
        if not name:
            return Reply("Say whom: <code>/drop username</code>.")
        ended = await coaching.drop_client(session, member, name, _now(context))
        _notify(
            outbox,
            ended.other_chat_id,
            Reply(f"{_name(member)} ended coaching with you: they no longer see your data."),
        )
        return Reply(f"Done: {_name(ended.other)} is no longer your client; your access to their data has ended.")

    await _run(update, context, work)


# --- /clients and /review -------------------------------------------------------------------------


def _client_line(line: ClientLine, member: Member) -> str:
    parts = [
        f"{'⚠️ ' if line.flagged else ''}<b>{_name(line.client)}</b>",
        f"last log {formatting.days_ago(line.last_log, line.today)}",
        "weight 7d "
        + ("–" if line.weight_change_lbs is None else formatting.weight_change(line.weight_change_lbs, member.units)),
        _count(line.workouts, "workout"),
        "no nutrition goal" if line.days_on_goal is None else f"nutrition on goal {line.days_on_goal}/7 days",
    ]
    if line.overdue:
        parts.append(f"overdue: {_count(line.overdue_goals, 'goal')}, {_count(line.overdue_actions, 'action item')}")
    return " · ".join(parts)


async def clients(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Replies:
        lines = await review.client_overview(session, member, _now(context))
        if not lines:
            return Reply("You have no clients yet. /invite makes a link to send to one.")
        header = (
            f"<b>Your clients</b> ({len(lines)}), who needs you first: ⚠️ no log for {review.INACTIVE_DAYS}+ days, "
            "then the most overdue items, then the longest silence. Figures cover the last 7 days."
        )
        return _paged([header, *(_client_line(line, member) for line in lines)])

    await _run(update, context, work)


REVIEW_USAGE = "Say whom, and optionally the period: <code>/review sam</code> or <code>/review sam month</code>."


async def client_review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Replies:
        coaching.require_coach(member)
        words = command_text(update).split()
        period = _period(words[1] if len(words) == 2 else "week") if 1 <= len(words) <= 2 else None
        if period is None:
            return Reply(REVIEW_USAGE)
        found = await review.client_review(session, member, words[0], period, _now(context))
        return _paged(_review_lines(found, member))

    await _run(update, context, work)


def _period(word: str) -> review.Period | None:
    try:
        return review.Period(word.lower())
    except ValueError:
        return None


def _review_lines(found: Review, member: Member) -> list[str]:
    today = found.last_day
    return [
        f"<b>Review of {_name(found.client)}</b>, last {found.period.days} days "
        f"({formatting.day(found.first_day, today)} – today)",
        *_body_lines(found, member),
        *_training_lines(found, member),
        *_nutrition_lines(found),
        *_goal_lines(found),
        *_action_lines(found),
        *_last_session_lines(found),
    ]


def _body_lines(found: Review, member: Member) -> list[str]:
    body = found.body
    lines = ["", "<b>Body</b>"]
    if body.weigh_ins == 0:
        lines.append("No weigh-ins.")
    elif body.weigh_ins == 1:
        lines.append(f"Weight {formatting.weight(body.last_weight_lbs, member.units)}, 1 weigh-in")
    else:
        first, last = (formatting.weight(w, member.units) for w in (body.first_weight_lbs, body.last_weight_lbs))
        change = formatting.weight_change(body.weight_change_lbs, member.units)
        lines.append(f"Weight {first} → {last} ({change}), {_count(body.weigh_ins, 'weigh-in')}")
    if body.body_fat_change is not None:
        lines.append(
            f"Body fat {formatting.number(body.first_body_fat)}% → {formatting.number(body.last_body_fat)}% "
            f"({body.body_fat_change + 0.0:+.1f})"
        )
    return lines


def _training_lines(found: Review, member: Member) -> list[str]:
    training = found.training
    lines = [
        "",
        "<b>Training</b>",
        f"{_count(training.sessions, 'session')} · {_count(training.sets, 'set')} · "
        f"{formatting.volume(training.volume_lbs, member.units)} volume",
    ]
    lines += [
        f"🏆 {escape(record.exercise)}: est. 1RM {formatting.load(record.estimated_1rm_lbs, member.units)} "
        f"(best before {formatting.load(record.previous_lbs, member.units)})"
        for record in training.records
    ]
    return lines


def _nutrition_lines(found: Review) -> list[str]:
    food = found.nutrition
    if food is None:
        return ["", "<b>Nutrition</b>", "No meals logged."]
    return [
        "",
        f"<b>Nutrition</b>, per day over {_count(food.days, 'logged day')}",
        f"{formatting.calories(food.calories)} · protein {formatting.grams(food.protein_g)} · "
        f"carbs {formatting.grams(food.carbs_g)} · fat {formatting.grams(food.fat_g)}",
    ]


def _goal_lines(found: Review) -> list[str]:
    lines = ["", "<b>Goals</b>"]
    for goal in found.goals:
        target = f" by {formatting.day(goal.target_date, found.last_day)}" if goal.target_date else ""
        state = (
            "✅ reached" if goal.status is GoalStatus.COMPLETED else f"{formatting.number(goal.progress_percentage)}%"
        )
        lines.append(f"• {escape(goal.title)}{target}: {state}{' ⚠️ overdue' if goal.overdue else ''}")
    return lines if found.goals else [*lines, "No active goals."]


def _action_lines(found: Review) -> list[str]:
    items = [_item_text(item) for item in found.open_actions]
    return ["", "<b>Open action items</b>", *(items or ["None."])]


def _last_session_lines(found: Review) -> list[str]:
    last = found.last_session
    if last is None:
        return ["", "<b>Last session</b>", "None yet: /session " + escape(found.client.username)]
    today = found.last_day
    details = [formatting.day(last.session_date, today)]
    if last.topics:
        details.append("topics: " + escape(", ".join(last.topics)))
    if last.user_rating is not None:
        details.append(f"rated {last.user_rating}/10")
    if last.next_session_date is not None:
        details.append(f"next {formatting.day(last.next_session_date, today)} ({_until(last.days_until_next_session)})")
    lines = ["", "<b>Last session</b>", " · ".join(details)]
    if last.coach_feedback:
        lines.append(f"Feedback: {escape(last.coach_feedback)}")
    return lines


def _until(days: int) -> str:
    if days < 0:
        return f"{-days} days ago"
    return "today" if days == 0 else f"in {days} days"


def _item_text(item: ActionItem) -> str:
    mark = "✅" if item.done else "☐"
    return f"{mark} {escape(item.text)}{' ⚠️ overdue' if item.overdue and not item.done else ''}"


# --- /session ------------------------------------------------------------------------------------

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
        await _run(update, context, _help)
        return ConversationHandler.END
    if details.strip():
        await _run(update, context, _one_line(name, details, _now(context)))
        return ConversationHandler.END

    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        client = await coaching.find_client(session, member, name)
        today = member.today(_now(context))
        context.user_data[GUIDED] = Guided(client.username, today, SessionDraft(session_date=today))
        first = _prompt(0)
        return Reply(f"Session with <b>{_name(client)}</b>.\n{first.text}")

    await _run(update, context, work)
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
    await _run(
        update, context, lambda session, member, outbox: _save(session, member, outbox, guided.client, guided.draft)
    )
    return ConversationHandler.END


async def session_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data.pop(GUIDED, None)
    await send(update, Reply("Cancelled. No session was saved."))
    return ConversationHandler.END


async def _save(session: AsyncSession, member: Member, outbox: Outbox, client: str, draft: SessionDraft) -> Reply:
    recorded = await coaching.record_session(session, member, client, draft)
    sent = _notify(outbox, recorded.client_chat_id, *_client_messages(recorded, member))
    delivery = (
        f"Sent to {_name(recorded.client)} with a Done button per action item."
        if sent
        else f"{_name(recorded.client)} has no chat linked right now: they will find it in /actions."
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
    intro = Reply(f"From your coach {_name(coach)}:\n\n{_session_text(row)}")
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
        return await _actions_view(session, member, member.today(_now(context)))

    await _run(update, context, work)


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
        f"<b>{_name(group.client)}</b>\n" + "\n".join(_item_text(item) for item in group.items) for group in groups
    ]
    return "<b>Your clients' action items</b>\n" + "\n".join(blocks)


def _my_actions_text(items: Sequence[ActionItem]) -> str:
    if not items:
        return "<b>Your action items</b>\nNothing open. 🎉"
    return "<b>Your action items</b>\n" + "\n".join(_item_text(item) for item in items)


async def done_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    session_id, number, view = int(context.match[1]), int(context.match[2]), context.match[3]

    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        today = member.today(_now(context))
        row = await coaching.mark_action_done(session, member, session_id, number, today)
        if view == LIST:
            return await _actions_view(session, member, today)
        finished = "\nAll action items of this session are done. 🎉" if row.completed else ""
        return Reply(f"✅ {escape(row.action_items[number - 1])}: done{finished}")

    await _run(update, context, work)


async def rate_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    session_id, rating = int(context.match[1]), int(context.match[2])

    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Reply:
        await coaching.rate_session(session, member, session_id, rating)
        return Reply(f"Thanks! You rated this session {rating}/10.")

    await _run(update, context, work)


TEXT = filters.TEXT & ~filters.COMMAND

HANDLERS = [
    ConversationHandler(
        entry_points=[CommandHandler("session", session_start)],
        states={number: [MessageHandler(TEXT, session_step)] for number in range(len(STEPS))},
        fallbacks=[CommandHandler("cancel", session_cancel)],
        name="coach_session",
    ),
    CommandHandler("invite", invite),
    CommandHandler("join", join),
    CommandHandler("leave", leave),
    CommandHandler("drop", drop),
    CommandHandler("clients", clients),
    CommandHandler("review", client_review),
    CommandHandler("actions", actions),
    CallbackQueryHandler(join_pressed, pattern=r"^coach:join:(\w+)$"),
    CallbackQueryHandler(decline_pressed, pattern=r"^coach:decline:(\w+)$"),
    CallbackQueryHandler(done_pressed, pattern=rf"^coach:done:(\d+):(\d+)(?::({LIST}))?$"),
    CallbackQueryHandler(rate_pressed, pattern=r"^coach:rate:(\d+):(\d+)$"),
]

COMMANDS = [
    ("actions", "Your action items (coaches: your clients')"),
    ("join", "Accept a coach's invite code"),
    ("leave", "Stop being coached"),
    ("invite", "Coaches: a link for a new client"),
    ("clients", "Coaches: all clients at a glance"),
    ("review", "Coaches: one client's week or month"),
    ("session", "Coaches: record a coaching session"),
    ("drop", "Coaches: stop coaching a client"),
]
