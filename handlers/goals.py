"""/goal sets a goal in plain words; /goals lists them with progress bars and a row of buttons per goal.

A button press (callback data "goal:<action>:<id>") acts on the presser's own
goal only, and the list is edited in place to show the result.
"""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from fitness_core import formatting
from fitness_core.models import GoalStatus
from fitness_core.parsing.goals import EXAMPLES, GoalPhraseError, Measure, amount, parse_goal
from fitness_core.services import goals as service
from fitness_core.services.accounts import Member
from fitness_core.services.goals import EXTEND_DAYS, Acted, GoalAction, GoalError, GoalView, NewGoal
from handlers.common import Reply, as_member, command_text, escape, runtime

CALLBACK_PREFIX = "goal"
CALLBACK_PATTERN = rf"^{CALLBACK_PREFIX}:({'|'.join(GoalAction)}):(\d+)$"

_EXAMPLES_TEXT = "\n".join(f"  <code>{escape(example)}</code>" for example in EXAMPLES)
NO_GOALS = "You have no goals yet. Set one in plain words:\n" + _EXAMPLES_TEXT
_STATUS_MARKS = {GoalStatus.COMPLETED: "✅", GoalStatus.ABANDONED: "✖️"}
_DONE = {
    GoalAction.PAUSE: "⏸ Paused",
    GoalAction.RESUME: "▶️ Resumed",
    GoalAction.COMPLETE: "✅ Completed",
    GoalAction.ABANDON: "✖️ Abandoned",
    GoalAction.EXTEND: f"⏩ Extended by {EXTEND_DAYS} days",
}


def _today(context: ContextTypes.DEFAULT_TYPE, member: Member) -> dt.date:
    """The person's local date: deadlines and the daily and weekly windows are theirs, not the server's."""
    return member.today(runtime(context).clock())


async def set_goal(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    phrase = command_text(update)

    async def work(session, member: Member) -> Reply:
        today = _today(context, member)
        try:
            spec = parse_goal(phrase, today=today, units=member.units)
            created = await service.set_goal(session, member, spec, today)
        except (GoalPhraseError, GoalError) as error:
            return Reply(f"{escape(str(error))}\n\nFor example:\n{_EXAMPLES_TEXT}")
        return Reply(_created_text(created, member))

    await as_member(update, context, work)


def _created_text(created: NewGoal, member: Member) -> str:
    goal = created.goal
    lines = [f"🎯 Goal set: <b>{escape(goal.title)}</b>", *_details(goal, member)]
    lines.extend(f"(Replaces {escape(title)}.)" for title in created.replaced)
    lines.append("I'll update it as you log. /goals shows your progress.")
    return "\n".join(lines)


def _details(goal: GoalView, member: Member) -> list[str]:
    """Where the person stands and how long is left, for the lines that have something to say."""
    standing = _standing(goal, member)
    days = None if goal.days_remaining is None else _days_left(goal)
    return [line for line in (standing, days) if line]


def _standing(goal: GoalView, member: Member) -> str | None:
    """ "Now 190.0 lb (from 200.0 lb)", "Today so far: 40 g", or None before any data."""
    if goal.measure is None or goal.current_value is None:
        return None
    now = amount(goal.measure, goal.current_value, member.units)
    if goal.measure.recurring:
        period = "This week" if goal.measure is Measure.WORKOUTS else "Today"
        return f"{period} so far: {now}"
    start = goal.start_value
    if start is None or start == goal.current_value:
        return f"Now {now}"
    return f"Now {now} (from {amount(goal.measure, start, member.units)})"


def _days_left(goal: GoalView) -> str:
    days = goal.days_remaining
    if goal.overdue:
        return f"⚠️ OVERDUE by {-days} day{'' if days == -1 else 's'}"
    if days == 0:
        return "Due today"
    return f"{days} day{'' if days == 1 else 's'} left"


async def list_goals(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session, member: Member) -> Reply:
        today = _today(context, member)
        return goals_reply(await service.overview(session, member, today), member)

    await as_member(update, context, work)


def goals_reply(goals: list[GoalView], member: Member, header: str | None = None) -> Reply:
    """The /goals message: numbered open goals with bars and buttons, then the recently finished ones."""
    open_goals = [goal for goal in goals if goal.status in service.OPEN]
    finished = [goal for goal in goals if goal.status not in service.OPEN]
    blocks = [header] if header else []
    if not goals:
        blocks.append(NO_GOALS)
    if open_goals:
        blocks.append(
            "<b>Your goals</b>\n" + "\n\n".join(_open_block(n, g, member) for n, g in enumerate(open_goals, 1))
        )
    if finished:
        blocks.append("<b>Finished</b>\n" + "\n".join(_finished_line(goal) for goal in finished))
    buttons = [_buttons(n, goal) for n, goal in enumerate(open_goals, 1)]
    return Reply("\n\n".join(blocks), buttons)


def _open_block(number: int, goal: GoalView, member: Member) -> str:
    paused = " ⏸ <i>paused</i>" if goal.status is GoalStatus.PAUSED else ""
    lines = [f"{number}. <b>{escape(goal.title)}</b>{paused}", formatting.progress_bar(goal.progress)]
    return "\n".join([*lines, *_details(goal, member)])


def _finished_line(goal: GoalView) -> str:
    when = f" ({goal.completed_date:%b} {goal.completed_date.day})" if goal.completed_date else ""
    return f"{_STATUS_MARKS.get(goal.status, '')} {escape(goal.title)}{when}"


def _buttons(number: int, goal: GoalView) -> list[tuple[str, str]]:
    """Short labels with the goal's number, so each is unique in the list: "Pause 1", "Done 1", "Drop 1", "+14d 1"."""
    paused = goal.status is GoalStatus.PAUSED
    row = [
        (f"Resume {number}", GoalAction.RESUME) if paused else (f"Pause {number}", GoalAction.PAUSE),
        (f"Done {number}", GoalAction.COMPLETE),
        (f"Drop {number}", GoalAction.ABANDON),
        (f"+{EXTEND_DAYS}d {number}", GoalAction.EXTEND),
    ]
    return [(label, f"{CALLBACK_PREFIX}:{action}:{goal.id}") for label, action in row]


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    action, goal_id = context.match.group(1), int(context.match.group(2))

    async def work(session, member: Member) -> Reply:
        today = _today(context, member)
        try:
            header = _acted_text(await service.act(session, member, goal_id, GoalAction(action), today))
        except GoalError as error:
            header = f"⚠️ {escape(str(error))}"
        return goals_reply(await service.overview(session, member, today), member, header)

    await as_member(update, context, work)


def _acted_text(acted: Acted) -> str:
    text = f"{_DONE[acted.action]}: <b>{escape(acted.goal.title)}</b>"
    return f"{text}\n{escape(acted.event.text)}" if acted.event and acted.event.completed else text


HANDLERS = [
    CommandHandler("goal", set_goal),
    CommandHandler("goals", list_goals),
    CallbackQueryHandler(press, pattern=CALLBACK_PATTERN),
]

COMMANDS = [
    ("goal", "Set a goal: /goal weight 175 by mar 1"),
    ("goals", "Your goals and progress"),
]
