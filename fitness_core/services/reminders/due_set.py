"""The due set: every reminder that should go out at an instant, in one SQL statement.

No Python loop over people and no job per person: the statement reads every
person's settings once and works in their local time inside PostgreSQL.

1. zones: each time zone in use, once: its wall-clock time now, and whether
   its UTC offset stayed the same over the last HORIZON (no daylight-saving
   change in the window a slot can be open in).
2. people: everyone with some reminder switched on, with their zone's clock;
   whoever is inside their quiet hours right now is left out (nothing is sent
   inside them, whatever it is).
3. slots: for each person and each of the three slot times (kinds.Slot) the
   latest local day `day` whose slot time has come. A slot time inside quiet
   hours moves to their end (the same day, or the next one when they wrap
   midnight), keeping `day`: a 23:00 check-in with quiet hours 22:00-07:00 goes
   at 07:00 the next morning, still as that evening's check-in. The slot's
   instant is timezone(tz, day + time), which PostgreSQL resolves across
   daylight-saving changes: a time the spring-forward skips (02:30) reads as
   the same instant an hour later by the new clock (03:30); a time the
   fall-back repeats (01:30) goes at its first occurrence, and the delivery
   key keeps the second from sending it again. In a zone whose offset did not
   move over the window the instant is plain arithmetic on the wall clock,
   exact there, and it saves a time-zone lookup per person. A slot is open from its instant for GRACE;
   a scan looks at slots that opened after `since` (the previous scan of this
   process; GRACE ago after a start), so a running bot examines one minute of
   slots per minute. Only open slots of active people with a linked chat go on.
4. Each kind (kinds.KINDS) turns the open slots into reminders with their
   delivery key, leaving out keys already in reminder_deliveries (unless they
   expired unsent: a later slot may bring those again).
5. The nudge cap: per person and local day, nudges already claimed or sent
   plus the new ones (ranked by kinds.NUDGE_PRIORITY) stay within
   max_nudges_per_day; the rest wait for a later slot (kinds keyed on a goal,
   a session or a quiet streak) or lapse (the day's check-in).
"""

from __future__ import annotations

import datetime as dt

from fitness_core.services.reminders.kinds import KINDS, MORNING, NUDGE_PRIORITY, NUDGES, SWITCHES, UPCOMING, Kind, Slot

GRACE = dt.timedelta(hours=3)
"""How late a reminder may still go out (bot down, retries); after that it expires.

Three hours keeps a late reminder meaningful (a 20:00 check-in is not sent at
3 am) while covering a restart or a deploy. Kinds keyed on a goal, a session
or a quiet streak are not lost when they expire unsent: their next slot brings
them again.
"""
HORIZON = GRACE + dt.timedelta(hours=1)  # a slot open now opened within this; no zone moves its clocks by more


def in_quiet(clock: str, start: str, end: str) -> str:
    """SQL: is local time `clock` inside quiet hours [start, end)? They may wrap midnight (22:00-07:00)."""
    return (
        f"({start} IS NOT NULL AND CASE WHEN {start} <= {end} THEN {clock} >= {start} AND {clock} < {end} "
        f"ELSE {clock} >= {start} OR {clock} < {end} END)"
    )


def _shift(at: str) -> str:
    """SQL: the slot time `at` as an offset from the start of its day, moved out of quiet hours."""
    start, end = "a.quiet_start", "a.quiet_end"
    return (
        f"CASE WHEN NOT {in_quiet(at, start, end)} THEN {at} - TIME '00:00' "
        f"WHEN {start} > {end} AND {at} >= {start} THEN {end} - TIME '00:00' + INTERVAL '1 day' "
        f"ELSE {end} - TIME '00:00' END"
    )


_SLOT_TIMES = {
    Slot.EVENING: "a.reminder_time",
    Slot.MORNING: "CAST(:morning AS time)",
    Slot.WEEKLY: "a.weekly_summary_time",
}

_SLOTS = f"""
zones AS MATERIALIZED (
    SELECT tz, timezone(tz, CAST(:now AS timestamptz)) AS local_now,
           timezone(tz, CAST(:now AS timestamptz)) - timezone(tz, CAST(:now AS timestamptz) - CAST(:horizon AS interval))
               = CAST(:horizon AS interval) AS steady
    FROM (SELECT DISTINCT timezone AS tz FROM user_settings) used
),
people AS (
    SELECT st.user_id, st.timezone AS tz, z.local_now, z.steady,
           st.reminder_time, st.weekly_summary_day, st.weekly_summary_time,
           st.quiet_hours_start AS quiet_start, st.quiet_hours_end AS quiet_end, st.max_nudges_per_day AS cap,
           {", ".join(f"st.{switch}" for switch in SWITCHES)}
    FROM user_settings st JOIN zones z ON z.tz = st.timezone
    WHERE ({" OR ".join(f"st.{switch}" for switch in SWITCHES)})
      AND NOT {in_quiet("z.local_now::time", "st.quiet_hours_start", "st.quiet_hours_end")}
),
shifted AS (
    SELECT a.*, t.slot, (a.local_now - t.shift)::date AS day, (a.local_now - t.shift)::date + t.shift AS due_local
    FROM people a
    CROSS JOIN LATERAL (VALUES {", ".join(f"('{slot}', {_shift(at)})" for slot, at in _SLOT_TIMES.items())})
        AS t(slot, shift)
),
timed AS (
    SELECT x.*, x.due_local::date AS due_date,
           CASE WHEN x.steady THEN CAST(:now AS timestamptz) - (x.local_now - x.due_local)
                ELSE timezone(x.tz, x.due_local) END AS due_at
    FROM shifted x
),
slots AS MATERIALIZED (
    SELECT y.*, u.created_at AS joined_at
    FROM timed y JOIN users u ON u.id = y.user_id AND u.is_active
    WHERE y.due_at > CAST(:since AS timestamptz) AND y.due_at <= CAST(:now AS timestamptz)
      AND CAST(:now AS timestamptz) < y.due_at + CAST(:grace AS interval)
      AND EXISTS (SELECT 1 FROM telegram_links link WHERE link.user_id = y.user_id)
),
upcoming AS ({UPCOMING})"""


def _branch(kind: Kind) -> str:
    return f"""
    SELECT '{kind.kind}' AS kind, s.user_id, {kind.subject} AS subject_id, {kind.occurrence} AS local_date,
           s.due_date, s.due_at, s.cap, s.tz
    FROM slots s {kind.joins}
    WHERE s.slot = '{kind.slot}' AND s.{kind.switch} AND {kind.where}
      AND NOT EXISTS (SELECT 1 FROM reminder_deliveries r WHERE r.user_id = s.user_id AND r.kind = '{kind.kind}'
                      AND r.subject_id = {kind.subject} AND r.local_date = {kind.occurrence}
                      AND r.status <> 'expired')"""


_NUDGE_LIST = ", ".join(f"'{kind}'" for kind in NUDGES)
_PRIORITY = " ".join(f"WHEN '{kind}' THEN {rank}" for rank, kind in enumerate(NUDGE_PRIORITY))

DUE = f"""
WITH {_SLOTS},
found AS ({" UNION ALL ".join(_branch(kind) for kind in KINDS)}
),
ranked AS (
    SELECT f.*, f.kind IN ({_NUDGE_LIST}) AS nudge,
           row_number() OVER (PARTITION BY f.user_id, f.due_date, f.kind IN ({_NUDGE_LIST})
                              ORDER BY CASE f.kind {_PRIORITY} END, f.due_at, f.subject_id) AS rank
    FROM found f
)
SELECT d.kind, d.user_id, d.subject_id, d.local_date, d.due_at
FROM ranked d
WHERE NOT d.nudge OR d.rank + (
    SELECT count(*) FROM reminder_deliveries r
    WHERE r.user_id = d.user_id AND r.status IN ('pending', 'sent')
      AND r.due_at >= timezone(d.tz, d.due_date::timestamp) AND r.due_at < timezone(d.tz, (d.due_date + 1)::timestamp)
      AND r.kind IN ({_NUDGE_LIST})
) <= d.cap
ORDER BY d.due_at, d.user_id, d.kind, d.subject_id
LIMIT :limit"""


def parameters(now: dt.datetime, limit: int, since: dt.datetime | None = None) -> dict[str, object]:
    """Bind values for DUE: slots that opened in (since, now], since no earlier than GRACE ago."""
    earliest = now - GRACE
    return {
        "now": now,
        "since": earliest if since is None else max(since, earliest),
        "limit": limit,
        "grace": GRACE,
        "horizon": HORIZON,
        "morning": MORNING,
    }
