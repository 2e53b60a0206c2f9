"""What each kind of reminder is: when it falls due, who it is for, what switches it off, whether it is a nudge.

One table, read by the due-set SQL (fitness_core.services.reminders.due_set),
the claims (SWITCHES) and the messages' tests. Every kind falls due at one of three local times of
day (its slot) on some local day; the kind's SQL then says, for the slot's
latest due day `s.day`, which reminders that day brings and what their
delivery key is:

    kind                  slot (local time)       recipient        switch             nudge  key: subject / local_date
    checkin               evening (reminder_time) the person       remind_checkin     yes    0 / the day
    session_eve           evening, day before     client and coach remind_coaching    no     session / its date
    session_day           morning, the day        client and coach remind_coaching    no     session / its date
    action_items_overdue  morning, after the date client           remind_coaching    yes    session / its date
    goal_overdue          morning, after target   the person       remind_goals       yes    goal / target date
    goal_heads_up         morning, last 7 days    the person       remind_goals       yes    goal / target date
    inactivity            morning, 4th day on     the person       remind_inactivity  yes    0 / last day logged
    weekly_summary        weekly_summary_time     the person       remind_weekly      no     0 / the day
    coach_digest          morning, daily          the coach        remind_coaching    no     0 / the day
    coach_weekly          coach's weekly time     the coach        remind_coaching    no     0 / the day

A kind keyed on something other than the day (a goal's target date, a
session's date, the last day logged) is due again at every slot until it is
delivered once: a goal that turned overdue while the bot was down, or on a
day the nudge cap was reached, is nudged the next morning, and never twice.
"Nudges" are the unasked-for prompts; they count against max_nudges_per_day.
Session notices and summaries are appointments and reports, so they do not.

Coaching reminders follow a session only while its coach-client link is
active, and session notices follow only the newest session of a pair (an
older row's next_session_date is history once a later session was recorded).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from fitness_core.models.reminder import ReminderKind

MORNING = dt.time(8, 0)  # "the morning of": session day, overdue items and goals, inactivity, coach digest
HEADS_UP_DAYS = 7
HEADS_UP_BELOW_PERCENT = 80
QUIET_DAYS = 3  # inactivity: this many whole days with nothing logged, then one nudge


class Slot(enum.StrEnum):
    EVENING = "evening"  # the person's reminder_time
    MORNING = "morning"  # MORNING
    WEEKLY = "weekly"  # the person's weekly_summary_time, on weekly_summary_day


@dataclass(frozen=True)
class Kind:
    """SQL pieces over the slot row `s` (person, settings, `s.day`); `joins` may bring in more tables."""

    kind: ReminderKind
    slot: Slot
    switch: str  # the user_settings column that turns it on
    nudge: bool  # counts against max_nudges_per_day
    subject: str
    occurrence: str  # the key's local_date
    joins: str = ""  # after "FROM slots s"
    where: str = "TRUE"


# The pair's coaching link is live (for a row `cs` of coaching_sessions).
LIVE_PAIR = (
    "EXISTS (SELECT 1 FROM coach_clients cc WHERE cc.coach_id = cs.coach_id "
    "AND cc.client_id = cs.user_id AND cc.status = 'active')"
)


def overdue_items(day: str) -> str:
    """Action items overdue on `day`: the next session date passed without completion (CoachingSession.is_overdue_on)."""
    return f"NOT cs.completed AND cardinality(cs.action_items) > 0 AND cs.next_session_date < {day} AND {LIVE_PAIR}"


# Sessions coming up around now (every zone is within two days of UTC's date), each once for
# the client and once for the coach; only the newest session of a pair sets the next date.
UPCOMING = (
    "SELECT cs.id, cs.next_session_date, person FROM coaching_sessions cs "
    "CROSS JOIN LATERAL (VALUES (cs.user_id), (cs.coach_id)) AS who(person) "
    "WHERE cs.next_session_date BETWEEN (CAST(:now AS timestamptz) AT TIME ZONE 'UTC')::date - 2 "
    "AND (CAST(:now AS timestamptz) AT TIME ZONE 'UTC')::date + 2 "
    f"AND {LIVE_PAIR} AND NOT EXISTS (SELECT 1 FROM coaching_sessions later WHERE later.user_id = cs.user_id "
    "AND later.coach_id = cs.coach_id AND (later.session_date, later.id) > (cs.session_date, cs.id))"
)


def _logged_on(table: str, column: str) -> str:
    return f"EXISTS (SELECT 1 FROM {table} x WHERE x.user_id = s.user_id AND x.{column} = s.day)"


_NOTHING_LOGGED_THAT_DAY = " AND ".join(
    [
        *(
            f"NOT {_logged_on(table, column)}"
            for table, column in (
                ("health_metrics", "recorded_date"),
                ("workout_sessions", "session_date"),
                ("meal_logs", "meal_date"),
            )
        ),
        # A message logged that day counts even when it was about another day ("yesterday: ran 5k").
        "NOT EXISTS (SELECT 1 FROM logged_messages x WHERE x.user_id = s.user_id AND x.undone_at IS NULL "
        "AND x.created_at >= timezone(s.tz, s.day::timestamp) "
        "AND x.created_at < timezone(s.tz, (s.day + 1)::timestamp))",
    ]
)

# The last local day the person logged anything; the day they joined when they never have.
_LAST_LOGGED = (
    "CROSS JOIN LATERAL (SELECT GREATEST("
    "timezone(s.tz, s.joined_at)::date, "
    "(SELECT max(recorded_date) FROM health_metrics x WHERE x.user_id = s.user_id), "
    "(SELECT max(session_date) FROM workout_sessions x WHERE x.user_id = s.user_id), "
    "(SELECT max(meal_date) FROM meal_logs x WHERE x.user_id = s.user_id), "
    "(SELECT timezone(s.tz, max(created_at))::date FROM logged_messages x "
    "WHERE x.user_id = s.user_id AND x.undone_at IS NULL)"
    ") AS day) AS last_log"
)

_ACTIVE_GOALS = "JOIN user_goals g ON g.user_id = s.user_id AND g.status = 'active'"
_UPCOMING = "JOIN upcoming cs ON cs.person = s.user_id"
_ON_WEEKLY_DAY = "extract(isodow FROM s.day)::int - 1 = s.weekly_summary_day"

KINDS: tuple[Kind, ...] = (
    Kind(
        ReminderKind.CHECKIN,
        Slot.EVENING,
        "remind_checkin",
        nudge=True,
        subject="0",
        occurrence="s.day",
        where=_NOTHING_LOGGED_THAT_DAY,
    ),
    Kind(
        ReminderKind.SESSION_EVE,
        Slot.EVENING,
        "remind_coaching",
        nudge=False,
        subject="cs.id",
        occurrence="cs.next_session_date",
        joins=_UPCOMING,
        where="cs.next_session_date = s.day + 1",
    ),
    Kind(
        ReminderKind.SESSION_DAY,
        Slot.MORNING,
        "remind_coaching",
        nudge=False,
        subject="cs.id",
        occurrence="cs.next_session_date",
        joins=_UPCOMING,
        where="cs.next_session_date = s.day",
    ),
    Kind(
        ReminderKind.ACTION_ITEMS_OVERDUE,
        Slot.MORNING,
        "remind_coaching",
        nudge=True,
        subject="cs.id",
        occurrence="cs.next_session_date",
        joins="JOIN coaching_sessions cs ON cs.user_id = s.user_id",
        where=overdue_items("s.day"),
    ),
    Kind(
        ReminderKind.GOAL_OVERDUE,
        Slot.MORNING,
        "remind_goals",
        nudge=True,
        subject="g.id",
        occurrence="g.target_date",
        joins=_ACTIVE_GOALS,
        where="g.target_date < s.day",
    ),
    Kind(
        ReminderKind.GOAL_HEADS_UP,
        Slot.MORNING,
        "remind_goals",
        nudge=True,
        subject="g.id",
        occurrence="g.target_date",
        joins=_ACTIVE_GOALS,
        where=(
            f"g.target_date BETWEEN s.day AND s.day + {HEADS_UP_DAYS} "
            f"AND g.progress_percentage < {HEADS_UP_BELOW_PERCENT}"
        ),
    ),
    Kind(
        ReminderKind.INACTIVITY,
        Slot.MORNING,
        "remind_inactivity",
        nudge=True,
        subject="0",
        occurrence="last_log.day",
        joins=_LAST_LOGGED,
        where=f"last_log.day < s.day - {QUIET_DAYS}",
    ),
    Kind(
        ReminderKind.WEEKLY_SUMMARY,
        Slot.WEEKLY,
        "remind_weekly",
        nudge=False,
        subject="0",
        occurrence="s.day",
        where=_ON_WEEKLY_DAY,
    ),
    Kind(
        ReminderKind.COACH_DIGEST,
        Slot.MORNING,
        "remind_coaching",
        nudge=False,
        subject="0",
        occurrence="s.day",
        where=f"EXISTS (SELECT 1 FROM coaching_sessions cs WHERE cs.coach_id = s.user_id AND {overdue_items('s.day')})",
    ),
    Kind(
        ReminderKind.COACH_WEEKLY,
        Slot.WEEKLY,
        "remind_coaching",
        nudge=False,
        subject="0",
        occurrence="s.day",
        where=(
            f"{_ON_WEEKLY_DAY} AND EXISTS (SELECT 1 FROM coach_clients cc "
            "WHERE cc.coach_id = s.user_id AND cc.status = 'active')"
        ),
    ),
)
SWITCHES = tuple(dict.fromkeys(k.switch for k in KINDS))
NUDGES = tuple(k.kind for k in KINDS if k.nudge)
# When several nudges fall due together and the cap lets only some through, these go first.
NUDGE_PRIORITY = (
    ReminderKind.ACTION_ITEMS_OVERDUE,
    ReminderKind.GOAL_OVERDUE,
    ReminderKind.GOAL_HEADS_UP,
    ReminderKind.INACTIVITY,
    ReminderKind.CHECKIN,
)
