"""Each kind falls due when it should and not when it should not, at fixed instants in several zones."""

from __future__ import annotations

import datetime as dt

import pytest

from fitness_core.models.reminder import ReminderKind
from fitness_core.services.reminders import kinds, messages
from fitness_core.services.reminders.due_set import GRACE
from tests.reminders.conftest import local

MINUTE = dt.timedelta(minutes=1)
ZONES = ("Pacific/Auckland", "America/New_York", "Europe/Berlin", "Asia/Kolkata")
DAY = dt.date(2026, 11, 25)  # a Wednesday


def test_every_kind_has_its_row_in_the_table_and_a_writer():
    assert {k.kind for k in kinds.KINDS} == set(ReminderKind)
    assert set(messages.WRITERS) == set(ReminderKind)
    assert set(kinds.NUDGE_PRIORITY) == set(kinds.NUDGES)


# --- check-in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ZONES)
async def test_checkin_opens_at_the_local_reminder_time_and_closes_after_the_grace_window(world, zone):
    person = world.person(zone, reminder_time=dt.time(20, 0))
    at = local(zone, "2026-11-25 20:00")
    assert "checkin" not in await world.kinds_due(at - MINUTE, person)
    assert await world.due(at) == {("checkin", person, 0, DAY)}
    assert "checkin" in await world.kinds_due(at + GRACE - MINUTE, person)
    assert "checkin" not in await world.kinds_due(at + GRACE, person)


@pytest.mark.parametrize("logged", ["weigh_in", "workout", "meal"])
async def test_no_checkin_when_something_was_logged_that_day(world, logged):
    person = world.person("Europe/Berlin")
    getattr(world, logged)(person, DAY)
    assert await world.kinds_due(local("Europe/Berlin", "2026-11-25 20:00"), person) == set()


async def test_a_message_logged_that_day_counts_even_about_another_day(world):
    person = world.person("Asia/Kolkata")
    world.logged_message(person, local("Asia/Kolkata", "2026-11-25 00:30"), about=DAY - dt.timedelta(days=1))
    assert await world.kinds_due(local("Asia/Kolkata", "2026-11-25 20:00"), person) == set()
    # ...but one sent late the evening before, local time, does not, whatever day it was about.
    world.execute("DELETE FROM logged_messages")
    world.logged_message(person, local("Asia/Kolkata", "2026-11-24 23:50"), about=DAY)
    assert await world.kinds_due(local("Asia/Kolkata", "2026-11-25 20:00"), person) == {"checkin"}


async def test_a_log_on_the_day_in_another_zone_does_not_confuse_the_local_date(world):
    # 20:00 in Auckland is 07:00 UTC on the same date; a log dated the 24th is yesterday there.
    person = world.person("Pacific/Auckland")
    world.weigh_in(person, DAY - dt.timedelta(days=1))
    assert await world.due(local("Pacific/Auckland", "2026-11-25 20:00")) == {("checkin", person, 0, DAY)}


# --- daylight saving ---------------------------------------------------------------------------


async def test_spring_forward_a_skipped_time_goes_an_hour_later_by_the_new_clock(world):
    # 2026-03-08, New York: 02:00 EST jumps to 03:00 EDT (07:00 UTC); 02:30 never shows on a clock.
    person = world.person("America/New_York", reminder_time=dt.time(2, 30))
    spring = dt.date(2026, 3, 8)
    assert await world.kinds_due(dt.datetime(2026, 3, 8, 7, 29, tzinfo=dt.UTC), person) == set()
    assert await world.due(dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC)) == {("checkin", person, 0, spring)}


async def test_spring_forward_a_time_after_the_gap_is_on_time(world):
    person = world.person("Europe/Berlin", reminder_time=dt.time(20, 0))
    # 2026-03-29: Berlin goes to summer time (UTC+2); 20:00 local is 18:00 UTC.
    assert "checkin" not in await world.kinds_due(dt.datetime(2026, 3, 29, 17, 59, tzinfo=dt.UTC), person)
    assert "checkin" in await world.kinds_due(dt.datetime(2026, 3, 29, 18, 0, tzinfo=dt.UTC), person)


async def test_fall_back_a_repeated_time_is_sent_once(world):
    # 2026-11-01, New York: 02:00 EDT falls back to 01:00 EST (06:00 UTC); 01:30 happens twice.
    person = world.person("America/New_York", reminder_time=dt.time(1, 30))
    first, second = dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC), dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)
    assert await world.kinds_due(first - MINUTE, person) == set()
    assert [n.kind for n in await world.send(first)] == [ReminderKind.CHECKIN]
    assert await world.send(second, since=first) == []
    assert await world.send(second) == []
    assert len(world.deliveries(person)) == 1


async def test_the_day_after_fall_back_keeps_the_local_time(world):
    person = world.person("America/New_York", reminder_time=dt.time(20, 0))
    # 2026-11-02: EST (UTC-5), so 20:00 local is 01:00 UTC on the 3rd.
    assert await world.kinds_due(dt.datetime(2026, 11, 3, 0, 59, tzinfo=dt.UTC), person) == set()
    assert await world.due(dt.datetime(2026, 11, 3, 1, 0, tzinfo=dt.UTC)) == {
        ("checkin", person, 0, dt.date(2026, 11, 2))
    }


# --- quiet hours, switches, the cap -------------------------------------------------------------


async def test_quiet_hours_defer_to_their_end_keeping_the_day(world):
    person = world.person(
        "Europe/Berlin", reminder_time=dt.time(23, 0), quiet_hours_start=dt.time(22, 0), quiet_hours_end=dt.time(7, 0)
    )
    assert await world.kinds_due(local("Europe/Berlin", "2026-11-25 23:00"), person) == set()
    assert await world.kinds_due(local("Europe/Berlin", "2026-11-26 06:59"), person) == set()
    assert await world.due(local("Europe/Berlin", "2026-11-26 07:00")) == {("checkin", person, 0, DAY)}


async def test_quiet_hours_within_a_day(world):
    person = world.person(
        "Asia/Kolkata", reminder_time=dt.time(13, 30), quiet_hours_start=dt.time(13, 0), quiet_hours_end=dt.time(14, 30)
    )
    assert await world.kinds_due(local("Asia/Kolkata", "2026-11-25 14:29"), person) == set()
    assert await world.kinds_due(local("Asia/Kolkata", "2026-11-25 14:30"), person) == {"checkin"}


async def test_nothing_late_is_sent_inside_quiet_hours(world):
    # Due at 20:00; the bot comes back at 22:30, inside quiet hours that start at 22:00.
    person = world.person("Europe/Berlin", quiet_hours_start=dt.time(22, 0), quiet_hours_end=dt.time(7, 0))
    assert await world.kinds_due(local("Europe/Berlin", "2026-11-25 21:30"), person) == {"checkin"}
    assert await world.kinds_due(local("Europe/Berlin", "2026-11-25 22:30"), person) == set()


@pytest.mark.parametrize(
    ("switch", "kind"),
    [
        ("remind_checkin", "checkin"),
        ("remind_goals", "goal_overdue"),
        ("remind_inactivity", "inactivity"),
        ("remind_weekly", "weekly_summary"),
        ("remind_coaching", "action_items_overdue"),
    ],
)
async def test_each_switch_turns_its_kind_off(world, switch, kind):
    # A Sunday: every kind a client can get is due, morning or evening.
    sunday = dt.date(2026, 11, 29)
    people = {}
    for on in (True, False):
        person = world.person(
            "America/New_York",
            reminder_time=dt.time(8, 0),
            weekly_summary_time=dt.time(8, 0),
            max_nudges_per_day=10,
            **{switch: on},
        )
        coach = world.person("America/New_York")
        world.coach(coach, person)
        world.session(person, coach, held=sunday - dt.timedelta(days=14), next_date=sunday - dt.timedelta(days=7))
        world.goal(person, sunday - dt.timedelta(days=3))
        people[on] = person
    at = local("America/New_York", "2026-11-29 08:00")
    assert kind in await world.kinds_due(at, people[True])
    assert kind not in await world.kinds_due(at, people[False])


async def test_the_nudge_cap_keeps_the_most_important_and_lets_summaries_through(world):
    person = world.person(
        "Europe/Berlin", max_nudges_per_day=1, weekly_summary_day=2, weekly_summary_time=dt.time(8, 0)
    )
    world.goal(person, DAY - dt.timedelta(days=2), title="late")
    world.goal(person, DAY + dt.timedelta(days=3), title="soon")
    at = local("Europe/Berlin", "2026-11-25 08:00")
    assert await world.kinds_due(at, person) == {"goal_overdue", "weekly_summary"}
    await world.send(at)
    # The heads-up waits; the check-in at 20:00 is over the cap too. Tomorrow morning the heads-up goes.
    assert await world.kinds_due(local("Europe/Berlin", "2026-11-25 20:00"), person) == set()
    assert await world.kinds_due(local("Europe/Berlin", "2026-11-26 08:00"), person) == {"goal_heads_up"}


async def test_a_cap_of_zero_means_no_nudges(world):
    person = world.person("UTC", max_nudges_per_day=0)
    assert await world.kinds_due(local("UTC", "2026-11-25 20:00"), person) == set()


async def test_only_active_people_with_a_linked_chat(world):
    world.person("UTC", linked=False)
    inactive = world.person("UTC")
    world.execute("UPDATE users SET is_active = false WHERE id = :u", u=inactive)
    assert await world.due(local("UTC", "2026-11-25 20:00")) == set()
    world.execute("UPDATE users SET is_active = true WHERE id = :u", u=inactive)
    assert await world.due(local("UTC", "2026-11-25 20:00")) == {("checkin", inactive, 0, DAY)}


# --- goals --------------------------------------------------------------------------------------


async def test_overdue_goal_is_nudged_the_morning_after_its_target_date_once(world):
    person = world.person("Pacific/Auckland")
    goal = world.goal(person, DAY)
    assert "goal_overdue" not in await world.kinds_due(local("Pacific/Auckland", "2026-11-25 08:00"), person)
    at = local("Pacific/Auckland", "2026-11-26 08:00")
    assert "goal_overdue" not in await world.kinds_due(at - MINUTE, person)
    assert ("goal_overdue", person, goal, DAY) in await world.due(at)
    await world.send(at)
    assert "goal_overdue" not in await world.kinds_due(local("Pacific/Auckland", "2026-11-27 08:00"), person)


async def test_overdue_goal_missed_by_a_down_bot_comes_the_next_morning(world):
    person = world.person("Europe/Berlin")
    goal = world.goal(person, DAY - dt.timedelta(days=5))
    assert ("goal_overdue", person, goal, DAY - dt.timedelta(days=5)) in await world.due(
        local("Europe/Berlin", "2026-11-25 08:00")
    )


@pytest.mark.parametrize(
    ("days_left", "progress", "status", "expected"),
    [
        (7, 50, "active", True),
        (0, 79.9, "active", True),
        (8, 50, "active", False),
        (3, 80, "active", False),
        (3, 50, "paused", False),
    ],
)
async def test_goal_heads_up(world, days_left, progress, status, expected):
    person = world.person("Asia/Kolkata")
    world.goal(person, DAY + dt.timedelta(days=days_left), progress=progress, status=status)
    due = await world.kinds_due(local("Asia/Kolkata", "2026-11-25 08:00"), person)
    assert ("goal_heads_up" in due) is expected


# --- inactivity ---------------------------------------------------------------------------------


async def test_inactivity_after_three_whole_days_without_a_log_once_per_streak(world):
    person = world.person("America/New_York", joined=dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    last = DAY - dt.timedelta(days=3)
    world.meal(person, last)
    assert "inactivity" not in await world.kinds_due(local("America/New_York", "2026-11-25 08:00"), person)
    at = local("America/New_York", "2026-11-26 08:00")
    assert ("inactivity", person, 0, last) in await world.due(at)
    await world.send(at)
    assert "inactivity" not in await world.kinds_due(local("America/New_York", "2026-11-27 08:00"), person)
    # They log again, then go quiet again: a new streak, a new nudge.
    world.weigh_in(person, dt.date(2026, 11, 27))
    assert "inactivity" in await world.kinds_due(local("America/New_York", "2026-12-01 08:00"), person)


async def test_inactivity_counts_from_joining_for_someone_who_never_logged(world):
    person = world.person("UTC", joined=dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC))
    assert "inactivity" not in await world.kinds_due(local("UTC", "2026-11-27 08:00"), person)
    assert "inactivity" in await world.kinds_due(local("UTC", "2026-11-28 08:00"), person)


# --- coaching -----------------------------------------------------------------------------------


async def test_session_notices_reach_client_and_coach_each_in_their_own_zone(world):
    client = world.person("America/New_York", reminder_time=dt.time(19, 0))
    coach = world.person("Europe/Berlin", reminder_time=dt.time(21, 0))
    world.coach(coach, client)
    session = world.session(client, coach, held=DAY - dt.timedelta(days=7), next_date=DAY + dt.timedelta(days=1))
    thursday = DAY + dt.timedelta(days=1)
    assert ("session_eve", client, session, thursday) in await world.due(local("America/New_York", "2026-11-25 19:00"))
    assert ("session_eve", coach, session, thursday) in await world.due(local("Europe/Berlin", "2026-11-25 21:00"))
    assert "session_eve" not in await world.kinds_due(local("Europe/Berlin", "2026-11-25 20:59"), coach)
    assert ("session_day", coach, session, thursday) in await world.due(local("Europe/Berlin", "2026-11-26 08:00"))
    assert ("session_day", client, session, thursday) in await world.due(local("America/New_York", "2026-11-26 08:00"))
    assert "session_day" not in await world.kinds_due(local("America/New_York", "2026-11-26 07:59"), client)


async def test_no_session_notice_for_an_ended_link_or_an_older_session(world):
    client, coach = world.person("UTC"), world.person("UTC")
    world.coach(coach, client, status="ended")
    world.session(client, coach, held=DAY - dt.timedelta(days=7), next_date=DAY + dt.timedelta(days=1))
    assert await world.due(local("UTC", "2026-11-25 20:00")) == {
        ("checkin", client, 0, DAY),
        ("checkin", coach, 0, DAY),
    }
    other_client = world.person("UTC")
    world.coach(coach, other_client)
    world.session(other_client, coach, held=DAY - dt.timedelta(days=14), next_date=DAY + dt.timedelta(days=1))
    world.session(other_client, coach, held=DAY - dt.timedelta(days=2), next_date=DAY + dt.timedelta(days=9))
    assert "session_eve" not in await world.kinds_due(local("UTC", "2026-11-25 20:00"), other_client)


async def test_overdue_action_items_nudge_the_client_once_and_fill_the_coach_digest(world):
    client = world.person("Asia/Kolkata", name="Asha")
    coach = world.person("Europe/Berlin", name="Kim")
    world.coach(coach, client)
    session = world.session(client, coach, held=DAY - dt.timedelta(days=8), next_date=DAY - dt.timedelta(days=1))
    assert ("action_items_overdue", client, session, DAY - dt.timedelta(days=1)) in await world.due(
        local("Asia/Kolkata", "2026-11-25 08:00")
    )
    assert ("coach_digest", coach, 0, DAY) in await world.due(local("Europe/Berlin", "2026-11-25 08:00"))
    await world.send(local("Asia/Kolkata", "2026-11-25 08:00"))
    assert "action_items_overdue" not in await world.kinds_due(local("Asia/Kolkata", "2026-11-26 08:00"), client)
    assert "coach_digest" in await world.kinds_due(local("Europe/Berlin", "2026-11-26 08:00"), coach)


async def test_completed_or_not_yet_passed_sessions_are_not_overdue(world):
    client, coach = world.person("UTC"), world.person("UTC")
    world.coach(coach, client)
    world.session(client, coach, held=DAY - dt.timedelta(days=8), next_date=DAY - dt.timedelta(days=1), completed=True)
    world.session(client, coach, held=DAY - dt.timedelta(days=3), next_date=DAY)
    due = await world.due(local("UTC", "2026-11-25 08:00"))
    assert not {kind for kind, *_ in due} & {"action_items_overdue", "coach_digest"}


# --- weekly -------------------------------------------------------------------------------------


async def test_weekly_summary_on_the_chosen_day_and_time(world):
    default = world.person("Pacific/Auckland")  # Sunday 18:00
    monday = world.person("Pacific/Auckland", weekly_summary_day=0, weekly_summary_time=dt.time(9, 30))
    sunday = dt.date(2026, 11, 29)
    assert ("weekly_summary", default, 0, sunday) in await world.due(local("Pacific/Auckland", "2026-11-29 18:00"))
    assert "weekly_summary" not in await world.kinds_due(local("Pacific/Auckland", "2026-11-28 18:00"), default)
    assert "weekly_summary" not in await world.kinds_due(local("Pacific/Auckland", "2026-11-29 18:00"), monday)
    assert "weekly_summary" in await world.kinds_due(local("Pacific/Auckland", "2026-11-30 09:30"), monday)


async def test_coach_weekly_digest_only_for_coaches_with_active_clients(world):
    coach, client, loner = world.person("UTC"), world.person("UTC"), world.person("UTC")
    world.coach(coach, client)
    due = await world.due(local("UTC", "2026-11-29 18:00"))
    assert ("coach_weekly", coach, 0, dt.date(2026, 11, 29)) in due
    assert not {(kind, person) for kind, person, *_ in due} & {("coach_weekly", client), ("coach_weekly", loner)}
