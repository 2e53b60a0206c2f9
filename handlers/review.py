"""/clients and /review: a coach's view of their clients, rendered from services/review.py."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import (
    CommandHandler,
    ContextTypes,
)

from fitness_core import formatting
from fitness_core.models import GoalStatus
from fitness_core.services import coaching, review
from fitness_core.services.accounts import Member
from fitness_core.services.review import ClientLine, Review
from handlers.coach import (
    Outbox,
    action_item_text,
    clock_now,
    counted,
    paged,
    person_name,
    run_work,
)
from handlers.common import (
    Replies,
    Reply,
    command_text,
    escape,
)


def _client_line(line: ClientLine, member: Member) -> str:
    parts = [
        f"{'⚠️ ' if line.flagged else ''}<b>{person_name(line.client)}</b>",
        f"last log {formatting.days_ago(line.last_log, line.today)}",
        "weight 7d "
        + ("–" if line.weight_change_lbs is None else formatting.weight_change(line.weight_change_lbs, member.units)),
        counted(line.workouts, "workout"),
        "no nutrition goal" if line.days_on_goal is None else f"nutrition on goal {line.days_on_goal}/7 days",
    ]
    if line.overdue:
        parts.append(f"overdue: {counted(line.overdue_goals, 'goal')}, {counted(line.overdue_actions, 'action item')}")
    return " · ".join(parts)


async def clients(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Replies:
        lines = await review.client_overview(session, member, clock_now(context))
        if not lines:
            return Reply("You have no clients yet. /invite makes a link to send to one.")
        header = (
            f"<b>Your clients</b> ({len(lines)}), who needs you first: ⚠️ no log for {review.INACTIVE_DAYS}+ days, "
            "then the most overdue items, then the longest silence. Figures cover the last 7 days."
        )
        return paged([header, *(_client_line(line, member) for line in lines)])

    await run_work(update, context, work)


REVIEW_USAGE = "Say whom, and optionally the period: <code>/review sam</code> or <code>/review sam month</code>."


async def client_review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session: AsyncSession, member: Member, outbox: Outbox) -> Replies:
        coaching.require_coach(member)
        words = command_text(update).split()
        period = _period(words[1] if len(words) == 2 else "week") if 1 <= len(words) <= 2 else None
        if period is None:
            return Reply(REVIEW_USAGE)
        found = await review.client_review(session, member, words[0], period, clock_now(context))
        return paged(_review_lines(found, member))

    await run_work(update, context, work)


def _period(word: str) -> review.Period | None:
    try:
        return review.Period(word.lower())
    except ValueError:
        return None


def _review_lines(found: Review, member: Member) -> list[str]:
    today = found.last_day
    return [
        f"<b>Review of {person_name(found.client)}</b>, last {found.period.days} days "
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
        lines.append(f"Weight {first} → {last} ({change}), {counted(body.weigh_ins, 'weigh-in')}")
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
        f"{counted(training.sessions, 'session')} · {counted(training.sets, 'set')} · "
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
        f"<b>Nutrition</b>, per day over {counted(food.days, 'logged day')}",
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
    items = [action_item_text(item) for item in found.open_actions]
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


HANDLERS = [
    CommandHandler("clients", clients),
    CommandHandler("review", client_review),
]

COMMANDS = [
    ("clients", "Coaches: all clients at a glance"),
    ("review", "Coaches: one client's week or month"),
]
