"""The /session grammar, the action-item bookkeeping and the inactivity flag: pure functions, no database."""

import datetime as dt

import pytest

from fitness_core.models import CoachingSession
from fitness_core.services import review
from fitness_core.services.coaching import CoachingError
from fitness_core.services.session_line import SessionDraft, apply_field, parse_day, parse_session_line

TODAY = dt.date(2026, 11, 25)  # a Wednesday


def test_the_help_example_reads_into_every_part():
    draft = parse_session_line(
        "45min topics: sleep, protein | feedback: great week | actions: walk 8k steps daily; protein 160g | next: dec 2",
        TODAY,
    )
    assert draft == SessionDraft(
        session_date=TODAY,
        duration_minutes=45,
        topics=("sleep", "protein"),
        coach_feedback="great week",
        action_items=("walk 8k steps daily", "protein 160g"),
        next_session_date=dt.date(2026, 12, 2),
    )


def test_a_date_and_duration_may_lead_and_values_keep_colons():
    draft = parse_session_line("yesterday 1h30 notes: ratio 2:1 carbs | next: in 2 weeks", TODAY)
    assert draft.session_date == dt.date(2026, 11, 24)
    assert draft.duration_minutes == 90
    assert draft.discussion_notes == "ratio 2:1 carbs"
    assert draft.next_session_date == dt.date(2026, 12, 9)  # counted from today, like every date


def test_keyed_parts_only_and_defaults():
    draft = parse_session_line("date: nov 20 | duration: 1.5 hours | action: stretch", TODAY)
    assert (draft.session_date, draft.duration_minutes, draft.action_items) == (dt.date(2026, 11, 20), 90, ("stretch",))
    assert parse_session_line("feedback: ok", TODAY).session_date == TODAY


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("feedback: a | whatever", "After “|” comes a key"),
        ("feedback: a | feedback: b", "appears twice"),
        ("45min | date: nov 2 | duration: 1h", "appears twice"),
        ("duration: forever", "couldn't read the duration"),
        ("duration: 2000", "A session lasts 1-1440 min"),
        ("date: dec 24 2026", "is in the future"),
        ("date: someday", "couldn't read the date"),
        ("great week", "Before the first key only a date and a duration"),
        ("next: yesterday", "next session has to come after"),
        ("actions: " + "; ".join(f"a{n}" for n in range(11)), "At most 10 action items"),
        ("topics: " + "x" * 101, "at most 100 characters"),
    ],
)
def test_mistakes_are_explained(line, problem):
    with pytest.raises(CoachingError, match=problem):
        parse_session_line(line, TODAY)


@pytest.mark.parametrize(
    ("phrase", "ahead", "expected"),
    [
        ("today", False, TODAY),
        ("nov 24", False, dt.date(2026, 11, 24)),
        ("24th november", False, dt.date(2026, 11, 24)),
        ("dec 2", False, dt.date(2025, 12, 2)),  # a session that happened: last December
        ("dec 2", True, dt.date(2026, 12, 2)),  # a next session: this coming one
        ("jan 5", True, dt.date(2027, 1, 5)),
        ("feb 29", True, dt.date(2028, 2, 29)),
        ("2026-12-02", True, dt.date(2026, 12, 2)),
        ("mon", False, dt.date(2026, 11, 23)),
        ("wed", False, TODAY),
        ("last wed", False, dt.date(2026, 11, 18)),
        ("mon", True, dt.date(2026, 11, 30)),
        ("wed", True, dt.date(2026, 12, 2)),
        ("on friday", True, dt.date(2026, 11, 27)),
        ("in 3 days", True, dt.date(2026, 11, 28)),
        ("2 weeks ago", False, dt.date(2026, 11, 11)),
    ],
)
def test_session_dates_read_backwards_and_next_dates_forwards(phrase, ahead, expected):
    assert parse_day(phrase, TODAY, ahead=ahead) == expected


def test_guided_answers_use_the_same_readers():
    draft = SessionDraft(session_date=TODAY)
    draft = apply_field(draft, "actions", "- walk 8k steps\n2. protein 160g\n\n3) 2.5 l water", TODAY)
    assert draft.action_items == ("walk 8k steps", "protein 160g", "2.5 l water")
    assert apply_field(draft, "duration", "45", TODAY).duration_minutes == 45


def test_marking_items_done_fills_completion_and_completes_the_session():
    row = CoachingSession(action_items=["walk", "protein"], done_action_items=[], completed=False)
    assert row.mark_action_item_done(2, dt.date(2026, 11, 26))
    assert row.open_action_items() == [(1, "walk")] and not row.completed
    assert not row.mark_action_item_done(2, dt.date(2026, 11, 27))  # twice changes nothing
    assert row.mark_action_item_done(1, dt.date(2026, 11, 27))
    assert row.completed and row.done_action_items == [2, 1]
    assert row.completion_notes == "2026-11-26: done: protein\n2026-11-27: done: walk"
    with pytest.raises(ValueError):
        row.mark_action_item_done(3, TODAY)


def test_flag_threshold_is_three_days():
    line = review.ClientLine(
        client=None, today=dt.date(2026, 11, 25), last_log=dt.date(2026, 11, 23), weight_change_lbs=None,
        workouts=0, days_on_goal=None, overdue_goals=0, overdue_actions=0,
    )  # fmt: skip
    assert not line.flagged
    assert review.ClientLine(**{**line.__dict__, "last_log": dt.date(2026, 11, 22)}).flagged
