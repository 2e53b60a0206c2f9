"""The words of each reminder, in the recipient's units and local dates (HTML, as the bot sends it).

Each writer gets the reminder, the batch's facts and the recipient's local
date, and returns None when what it was about is gone (a goal deleted between
claim and send), so nothing stale is sent.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass

from fitness_core import formatting
from fitness_core.models.reminder import ReminderKind
from fitness_core.services.reminders.deliveries import Reminder
from fitness_core.services.reminders.facts import WEEK_DAYS, Facts, Recipient, Session, Week
from fitness_core.units import UnitSystem

Buttons = tuple[tuple[tuple[str, str], ...], ...]  # rows of (label, callback data)
EXAMPLE_WEIGHT_LBS = 176.0


@dataclass(frozen=True)
class Message:
    text: str
    buttons: Buttons = ()


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _stop(kind: str) -> str:
    return f"\n<i>/reminders {kind} off</i> stops these."


def _example(units: UnitSystem) -> str:
    return f"<code>weight {formatting.weight(EXAMPLE_WEIGHT_LBS, units)}</code> or <code>lunch salad 450 kcal</code>"


def _checkin(r: Reminder, facts: Facts, who: Recipient, today: dt.date) -> Message:
    when = "today" if r.local_date == today else f"for {formatting.day(r.local_date, today)}"
    return Message(
        f"<b>Check-in</b>: nothing logged {when} yet. One line is enough, e.g. {_example(who.units)}."
        + _stop("checkin")
    )


def _items(session: Session) -> str:
    return "".join(f"\n• {_e(item)}" for item in session.open_items)


def _session_notice(r: Reminder, facts: Facts, who: Recipient, today: dt.date) -> Message | None:
    session = facts.sessions.get(r.subject_id)
    if session is None:
        return None
    when = "tomorrow" if r.kind is ReminderKind.SESSION_EVE else "today"
    for_client = r.user_id == session.client_id
    other = session.coach if for_client else session.client
    head = f"<b>Coaching session {when}</b> ({formatting.day(session.next_session_date, today)}) with {_e(other)}."
    if not session.open_items:
        return Message(head)
    if for_client:
        return Message(f"{head}\nYour open action items:{_items(session)}")
    return Message(f"{head}\n{len(session.open_items)} action items still open.")


def _action_items(r: Reminder, facts: Facts, who: Recipient, today: dt.date) -> Message | None:
    session = facts.sessions.get(r.subject_id)
    if session is None or not session.open_items:
        return None
    return Message(
        f"<b>Action items still open</b> from your session of {formatting.day(session.session_date, today)} "
        f"with {_e(session.coach)} (next session was {formatting.day(session.next_session_date, today)}):"
        f"{_items(session)}" + _stop("coaching")
    )


def _goal_overdue(r: Reminder, facts: Facts, who: Recipient, today: dt.date) -> Message | None:
    goal = facts.goals.get(r.subject_id)
    if goal is None:
        return None
    return Message(
        f"<b>Goal past its date</b>: {_e(goal.title)} was due {formatting.day(goal.target_date, today)} "
        f"and stands at {formatting.percent(goal.progress)}. What now?",
        (
            (
                ("Extend 2 weeks", f"goal:extend:{r.subject_id}"),
                ("Mark complete", f"goal:complete:{r.subject_id}"),
                ("Pause", f"goal:pause:{r.subject_id}"),
            ),
        ),
    )


def _goal_heads_up(r: Reminder, facts: Facts, who: Recipient, today: dt.date) -> Message | None:
    goal = facts.goals.get(r.subject_id)
    if goal is None:
        return None
    left = (goal.target_date - today).days
    when = "today" if left <= 0 else "tomorrow" if left == 1 else f"in {left} days"
    return Message(
        f"<b>Heads-up</b>: {_e(goal.title)} is due {when} ({formatting.day(goal.target_date, today)}) "
        f"and stands at {formatting.progress_bar(goal.progress)}." + _stop("goals")
    )


def _inactivity(r: Reminder, facts: Facts, who: Recipient, today: dt.date) -> Message:
    return Message(
        f"Nothing logged since {formatting.day(r.local_date, today)}. No pressure: one line gets you going "
        f"again, e.g. {_example(who.units)}." + _stop("inactivity")
    )


def _span(week: Week, today: dt.date) -> str:
    return f"{formatting.day(week.first_day, today)} – {formatting.day(week.last_day, today)}"


def _weight_line(week: Week, units: UnitSystem) -> str | None:
    if week.last_weight_lbs is None:
        return None
    change = week.last_weight_lbs - week.first_weight_lbs
    return f"{formatting.weight(week.last_weight_lbs, units)} ({formatting.weight_change(change, units)})"


def _weekly_summary(r: Reminder, facts: Facts, who: Recipient, today: dt.date) -> Message:
    week = facts.weeks.get((r.user_id, r.local_date)) or Week(last_day=r.local_date)
    lines = [f"<b>Your week</b>, {_span(week, today)}"]
    if not week.days_logged:
        lines.append("Nothing logged this week. A new one starts tomorrow: one line a day is plenty.")
    else:
        lines.append(f"Days logged: {week.days_logged} of {WEEK_DAYS}")
        lines.append(f"Workouts: {week.workouts}")
        weight = _weight_line(week, who.units)
        if weight:
            lines.append(f"Weight: {weight}")
        if week.food_days:
            lines.append(
                f"Food: {formatting.calories(week.calories_per_day)} and "
                f"{formatting.grams(week.protein_g_per_day)} protein a day ({week.food_days} days logged)"
            )
    return Message("\n".join(lines) + _stop("weekly"))


def _coach_digest(r: Reminder, facts: Facts, who: Recipient, today: dt.date) -> Message | None:
    overdue = facts.overdue.get((r.user_id, r.local_date))
    if not overdue:
        return None
    lines = ["<b>Overdue action items</b>"]
    lines += [
        f"• {_e(o.client)}: {o.open_items} open from {formatting.day(o.session_date, today)} "
        f"(next session was {formatting.day(o.next_session_date, today)})"
        for o in overdue
    ]
    return Message("\n".join(lines))


def _coach_weekly(r: Reminder, facts: Facts, who: Recipient, today: dt.date) -> Message | None:
    clients = facts.clients.get((r.user_id, r.local_date))
    if not clients:
        return None
    lines = [f"<b>Your clients this week</b>, {_span(clients[0].week, today)}"]
    for client in clients:
        week = client.week
        if not week.days_logged:
            lines.append(f"• {_e(client.name)}: nothing logged")
            continue
        parts = [f"{week.days_logged} days logged", f"{week.workouts} workouts"]
        weight = _weight_line(week, who.units)
        if weight:
            parts.append(weight)
        lines.append(f"• {_e(client.name)}: {', '.join(parts)}")
    return Message("\n".join(lines))


Writer = Callable[[Reminder, Facts, Recipient, dt.date], Message | None]
WRITERS: dict[ReminderKind, Writer] = {
    ReminderKind.CHECKIN: _checkin,
    ReminderKind.SESSION_EVE: _session_notice,
    ReminderKind.SESSION_DAY: _session_notice,
    ReminderKind.ACTION_ITEMS_OVERDUE: _action_items,
    ReminderKind.GOAL_OVERDUE: _goal_overdue,
    ReminderKind.GOAL_HEADS_UP: _goal_heads_up,
    ReminderKind.INACTIVITY: _inactivity,
    ReminderKind.WEEKLY_SUMMARY: _weekly_summary,
    ReminderKind.COACH_DIGEST: _coach_digest,
    ReminderKind.COACH_WEEKLY: _coach_weekly,
}


def write(reminder: Reminder, facts: Facts, now: dt.datetime) -> Message | None:
    who = facts.recipients.get(reminder.user_id)
    if who is None:
        return None
    return WRITERS[reminder.kind](reminder, facts, who, who.today(now))
