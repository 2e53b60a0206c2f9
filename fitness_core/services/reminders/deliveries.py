"""Claiming due reminders in reminder_deliveries, and recording how each delivery went.

A scan is one system transaction (the caller commits it before sending):

1. expire: pending rows whose grace window closed, and that no sender holds, become expired;
2. retry: pending rows due another attempt (the last one failed RETRY_DELAY ago, or its
   sender crashed and let its LEASE run out) are claimed again, FOR UPDATE SKIP LOCKED;
3. claim: the due set (fitness_core.services.reminders.due_set) is inserted with
   ON CONFLICT ... RETURNING, so a row comes back only to the one transaction
   that created it. The one conflict that claims is an expired row of a kind
   whose slot comes back (an overdue goal's next morning): it is claimed afresh.

The unique key is what guarantees one delivery per reminder, whatever races.
Scans also take a transaction-level advisory lock, so two bot processes
scanning the same minute run one after the other: the second sees the
first's claims, and the nudge cap counts both.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core.models.reminder import ReminderKind
from fitness_core.services.access import act_as_system
from fitness_core.services.reminders.due_set import DUE, in_quiet, parameters
from fitness_core.services.reminders.kinds import SWITCHES

LEASE = dt.timedelta(minutes=10)
"""An attempt still unfinished after this long belongs to a sender that died; the row is claimed again.

Longer than a full batch takes to send at the rate limit (BATCH / 25 per second = 200 s).
"""
RETRY_DELAY = dt.timedelta(minutes=1)  # after a failed attempt: the next run's scan tries again
MAX_ATTEMPTS = 5
BATCH = 5000
SCAN_LOCK = (7407, 4)  # pg_advisory_xact_lock key: (the bootstrap lock's number, this migration)

_COLUMNS = "id, kind, user_id, subject_id, local_date, due_at, attempts"


@dataclass(frozen=True)
class Reminder:
    """One reminder: due (delivery_id None) or claimed."""

    kind: ReminderKind
    user_id: int
    subject_id: int
    local_date: dt.date
    due_at: dt.datetime
    delivery_id: int | None = None
    attempts: int = 0

    @classmethod
    def from_row(cls, row) -> Reminder:
        return cls(
            kind=ReminderKind(row.kind),
            user_id=row.user_id,
            subject_id=row.subject_id,
            local_date=row.local_date,
            due_at=row.due_at,
            delivery_id=getattr(row, "id", None),
            attempts=getattr(row, "attempts", 0),
        )


# A pending row's latest attempt started at claimed_at; error is set once it failed, NULL while in flight.
_RETRYABLE = f"""
    r.status = 'pending'
    AND (r.claimed_at < CAST(:now AS timestamptz) - CAST(:lease AS interval)
         OR (r.error IS NOT NULL AND r.claimed_at <= CAST(:now AS timestamptz) - CAST(:retry_delay AS interval)))
    AND CAST(:now AS timestamptz) < r.due_at + CAST(:grace AS interval) AND r.attempts < :max_attempts
    AND NOT EXISTS (
        SELECT 1 FROM user_settings st WHERE st.user_id = r.user_id
        AND {in_quiet("timezone(st.timezone, CAST(:now AS timestamptz))::time", "st.quiet_hours_start", "st.quiet_hours_end")}
    )"""

_EXPIRE = text("""
    UPDATE reminder_deliveries SET status = 'expired'
    WHERE status = 'pending' AND due_at + CAST(:grace AS interval) <= CAST(:now AS timestamptz)
      AND (error IS NOT NULL OR claimed_at < CAST(:now AS timestamptz) - CAST(:lease AS interval))""")

_RETRY = text(f"""
    UPDATE reminder_deliveries d SET claimed_at = CAST(:now AS timestamptz), attempts = d.attempts + 1, error = NULL
    WHERE d.id IN (
        SELECT r.id FROM reminder_deliveries r WHERE {_RETRYABLE}
        ORDER BY r.due_at LIMIT :limit FOR UPDATE OF r SKIP LOCKED
    )
    RETURNING {_COLUMNS}""")

_CLAIM = text(f"""
    INSERT INTO reminder_deliveries (kind, user_id, subject_id, local_date, due_at, claimed_at, attempts)
    SELECT CAST(d.kind AS reminder_kind), d.user_id, d.subject_id, d.local_date, d.due_at, CAST(:now AS timestamptz), 1
    FROM ({DUE}) d
    ON CONFLICT (local_date, user_id, kind, subject_id) DO UPDATE
        SET status = 'pending', due_at = EXCLUDED.due_at, claimed_at = EXCLUDED.claimed_at, attempts = 1, error = NULL
        WHERE reminder_deliveries.status = 'expired'
    RETURNING {_COLUMNS}""")

_WAITING = text(f"SELECT {_COLUMNS} FROM reminder_deliveries r WHERE {_RETRYABLE} ORDER BY r.due_at LIMIT :limit")


def _parameters(now: dt.datetime, limit: int, since: dt.datetime | None = None) -> dict[str, object]:
    return {
        **parameters(now, limit, since),
        "lease": LEASE,
        "retry_delay": RETRY_DELAY,
        "max_attempts": MAX_ATTEMPTS,
    }


async def due(session: AsyncSession, now: dt.datetime, *, limit: int = BATCH) -> list[Reminder]:
    """What a scan at `now` by a bot just started would claim (retries first), without claiming it."""
    await act_as_system(session)
    values = _parameters(now, limit)
    retries = [Reminder.from_row(row) for row in await session.execute(_WAITING, values)]
    values["limit"] = limit - len(retries)
    fresh = [Reminder.from_row(row) for row in await session.execute(text(DUE), values)]
    return retries + fresh


@dataclass(frozen=True)
class Claimed:
    reminders: list[Reminder]  # in due order
    more: bool  # the claim was full: more may be due
    since: dt.datetime | None  # what to pass as `since` to go on with this scan


async def claim(
    session: AsyncSession, now: dt.datetime, *, since: dt.datetime | None = None, limit: int = BATCH
) -> Claimed:
    """Expire, then claim up to `limit` reminders (retries first) for this caller alone.

    `since` is the previous scan's `now` in this process (see due_set); None looks back the whole GRACE.
    New reminders are claimed oldest first, so after a full claim everything due before the last
    one's instant is claimed: going on from just before it skips what this claim already examined.
    """
    await act_as_system(session)
    await session.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), dict(zip("ab", SCAN_LOCK, strict=True)))
    values = _parameters(now, limit, since)
    await session.execute(_EXPIRE, values)
    retries = [Reminder.from_row(row) for row in await session.execute(_RETRY, values)]
    values["limit"] = limit - len(retries)
    fresh = [Reminder.from_row(row) for row in await session.execute(_CLAIM, values)] if values["limit"] else []
    if fresh and len(fresh) == values["limit"]:
        since = max(r.due_at for r in fresh) - dt.timedelta(microseconds=1)
    claimed = sorted(retries + fresh, key=lambda r: (r.due_at, r.user_id, r.kind, r.subject_id))
    return Claimed(claimed, more=len(claimed) == limit, since=since)


class Result(enum.StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"  # the person blocked the bot: their reminders are switched off
    REFUSED = "refused"  # Telegram will never take this one (chat gone, bad request)
    RETRY = "retry"  # a transient failure: another attempt at a later scan, within the grace window


@dataclass(frozen=True)
class Outcome:
    delivery_id: int
    result: Result
    message_id: int | None = None
    error: str | None = None


_SENT = text("""
    UPDATE reminder_deliveries d SET status = 'sent', sent_at = CAST(:now AS timestamptz), message_id = o.message_id, error = NULL
    FROM unnest(CAST(:ids AS bigint[]), CAST(:message_ids AS bigint[])) AS o(id, message_id)
    WHERE d.id = o.id AND d.status IN ('pending', 'expired')""")

# A failure gives up for good when Telegram refused, or when this was the last attempt.
_FAILED = text("""
    UPDATE reminder_deliveries d
    SET status = CASE WHEN o.final OR d.attempts >= :max_attempts THEN 'failed'::delivery_status ELSE d.status END,
        error = o.error
    FROM unnest(CAST(:ids AS bigint[]), CAST(:errors AS text[]), CAST(:final AS boolean[])) AS o(id, error, final)
    WHERE d.id = o.id AND d.status = 'pending'""")

# Blocked: every reminder switch off (audited, as a change to their settings), and nothing else queued for them.
_SWITCH_OFF = text(f"""
    WITH blocked AS (SELECT DISTINCT user_id FROM reminder_deliveries WHERE id = ANY(CAST(:ids AS bigint[]))),
    switched AS (
        UPDATE user_settings st SET {", ".join(f"{switch} = false" for switch in SWITCHES)}
        FROM blocked b WHERE st.user_id = b.user_id
        RETURNING st.user_id
    ),
    dropped AS (
        UPDATE reminder_deliveries SET status = 'failed', error = 'blocked by the person'
        WHERE status = 'pending' AND user_id IN (SELECT user_id FROM blocked)
    )
    INSERT INTO audit_log (user_id, action, table_name, row_id, details)
    SELECT user_id, 'update', 'user_settings', user_id::text,
           jsonb_build_object('after', jsonb_build_object({", ".join(f"'{switch}', false" for switch in SWITCHES)}),
                              'by', 'reminders', 'reason', 'the person blocked the bot')
    FROM switched""")


async def record(session: AsyncSession, now: dt.datetime, outcomes: Sequence[Outcome]) -> None:
    """Write what happened to each claimed delivery: a fixed number of statements however many."""
    await act_as_system(session)
    sent = [o for o in outcomes if o.result is Result.SENT]
    if sent:
        await session.execute(
            _SENT, {"now": now, "ids": [o.delivery_id for o in sent], "message_ids": [o.message_id for o in sent]}
        )
    failed = [o for o in outcomes if o.result is not Result.SENT]
    if failed:
        await session.execute(
            _FAILED,
            {
                "max_attempts": MAX_ATTEMPTS,
                "ids": [o.delivery_id for o in failed],
                "errors": [o.error for o in failed],
                "final": [o.result is not Result.RETRY for o in failed],
            },
        )
    blocked = [o.delivery_id for o in outcomes if o.result is Result.BLOCKED]
    if blocked:
        await session.execute(_SWITCH_OFF, {"ids": blocked})
