"""Reminders and nudges: what is due, claimed once in reminder_deliveries, written out for the sender.

The scheduler (bot/scheduler.py) runs, every minute:

    async with transaction:                      # system work, committed before sending
        batch = await reminders.scan(session, now, since=previous_now)
    ... send each of batch.notices through the rate-limited Bot ...
    async with transaction:
        await reminders.record(session, now, outcomes)

and `reminders.due(session, now)` lists what a scan would claim (the operators' CLI).
Nothing here reads the wall clock (`now` comes from the caller), commits, or
knows about Telegram. The parts: kinds (what each kind is), due_set (the due
set in one SQL statement), deliveries (claims, retries, expiry, outcomes),
facts (the batch's data, a fixed number of queries) and messages (the words).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core.models.reminder import ReminderKind
from fitness_core.services.reminders import facts, messages
from fitness_core.services.reminders.deliveries import BATCH, Outcome, Reminder, Result, claim, due, record
from fitness_core.services.reminders.messages import Buttons

__all__ = [
    "BATCH",
    "Batch",
    "Notice",
    "Outcome",
    "Reminder",
    "Result",
    "due",
    "record",
    "scan",
]


@dataclass(frozen=True)
class Notice:
    """A claimed reminder, ready to send: HTML text and inline buttons (rows of (label, callback data))."""

    delivery_id: int
    user_id: int
    chat_id: int
    kind: ReminderKind
    text: str
    buttons: Buttons = ()


@dataclass(frozen=True)
class Batch:
    notices: list[Notice]
    more: bool  # the claim was full: scan again before waiting for the next minute...
    since: dt.datetime | None  # ...passing this as `since`


async def scan(
    session: AsyncSession, now: dt.datetime, *, since: dt.datetime | None = None, limit: int = BATCH
) -> Batch:
    """Claim up to `limit` due reminders for this caller and write them out.

    `since`: the previous scan's `now` in this process, or None (look back the whole grace window).

    A claimed reminder whose subject vanished before it could be written (a goal
    deleted since it was first claimed) is recorded as refused, never sent stale.
    """
    claimed = await claim(session, now, since=since, limit=limit)
    if not claimed.reminders:
        return Batch([], more=False, since=since)
    known = await facts.load(session, claimed.reminders)
    notices, gone = [], []
    for reminder in claimed.reminders:
        message = messages.write(reminder, known, now)
        if message is None:
            gone.append(Outcome(reminder.delivery_id, Result.REFUSED, error="nothing left to remind about"))
            continue
        chat_id = known.recipients[reminder.user_id].chat_id
        notices.append(
            Notice(reminder.delivery_id, reminder.user_id, chat_id, reminder.kind, message.text, message.buttons)
        )
    await record(session, now, gone)
    return Batch(notices, more=claimed.more, since=claimed.since)
