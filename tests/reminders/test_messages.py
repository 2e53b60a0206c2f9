"""What the reminders say: real figures, in the recipient's units and local dates."""

from __future__ import annotations

import datetime as dt

from tests.reminders.conftest import local

SUNDAY = dt.date(2026, 11, 29)


async def texts(world, now: dt.datetime) -> dict[tuple[int, str], str]:
    return {(n.user_id, n.kind.value): n.text for n in await world.send(now)}


async def test_weekly_summary_adds_up_the_week_in_the_persons_units(world):
    person = world.person("Europe/Berlin", unit_system="metric")
    world.weigh_in(person, SUNDAY - dt.timedelta(days=6), lbs=200.0)
    world.weigh_in(person, SUNDAY - dt.timedelta(days=1), lbs=197.8)
    world.weigh_in(person, SUNDAY - dt.timedelta(days=8), lbs=210.0)  # the week before: not counted
    world.workout(person, SUNDAY - dt.timedelta(days=2))
    world.workout(person, SUNDAY)
    world.meal(person, SUNDAY - dt.timedelta(days=2), calories=2000, protein=120)
    world.meal(person, SUNDAY, calories=1000, protein=60)
    world.meal(person, SUNDAY, calories=1200, protein=80)
    text = (await texts(world, local("Europe/Berlin", "2026-11-29 18:00")))[person, "weekly_summary"]
    assert "Mon Nov 23 – today" in text
    assert "Days logged: 4 of 7" in text
    assert "Workouts: 2" in text
    assert "Weight: 89.7 kg (-1.0 kg)" in text
    assert "Food: 2,100 kcal and 130 g protein a day (2 days logged)" in text


async def test_an_empty_week_says_so(world):
    person = world.person("UTC")
    text = (await texts(world, local("UTC", "2026-11-29 18:00")))[person, "weekly_summary"]
    assert "Nothing logged this week" in text


async def test_session_notices_name_the_other_side_and_the_open_items(world):
    client = world.person("UTC", name="Asha")
    coach = world.person("UTC", name="Kim <Coach>")
    world.coach(coach, client)
    world.session(
        client,
        coach,
        held=dt.date(2026, 11, 19),
        next_date=dt.date(2026, 11, 26),
        items=("Walk daily", "Sleep by 11"),
        done=(1,),
    )
    sent = await texts(world, local("UTC", "2026-11-25 20:00"))
    assert sent[client, "session_eve"].startswith(
        "<b>Coaching session tomorrow</b> (Thu Nov 26) with Kim &lt;Coach&gt;."
    )
    assert "• Sleep by 11" in sent[client, "session_eve"] and "Walk daily" not in sent[client, "session_eve"]
    assert "with Asha." in sent[coach, "session_eve"] and "1 action items still open" in sent[coach, "session_eve"]
    assert (
        "<b>Coaching session today</b>" in (await texts(world, local("UTC", "2026-11-26 08:00")))[coach, "session_day"]
    )


async def test_overdue_action_items_and_the_coach_digest(world):
    client = world.person("UTC", name="Asha")
    coach = world.person("UTC", name="Kim")
    world.coach(coach, client)
    world.session(client, coach, held=dt.date(2026, 11, 17), next_date=dt.date(2026, 11, 24), items=("Walk daily",))
    sent = await texts(world, local("UTC", "2026-11-25 08:00"))
    assert (
        "from your session of Tue Nov 17 with Kim (next session was yesterday):\n• Walk daily"
        in sent[client, "action_items_overdue"]
    )
    assert sent[coach, "coach_digest"] == (
        "<b>Overdue action items</b>\n• Asha: 1 open from Tue Nov 17 (next session was yesterday)"
    )


async def test_coach_weekly_digest_lists_each_client(world):
    coach = world.person("America/New_York", unit_system="imperial")
    busy, idle = world.person("UTC", name="Busy"), world.person("UTC", name="Idle")
    world.coach(coach, busy)
    world.coach(coach, idle)
    world.weigh_in(busy, SUNDAY - dt.timedelta(days=3), lbs=180)
    world.weigh_in(busy, SUNDAY, lbs=178.5)
    world.workout(busy, SUNDAY)
    text = (await texts(world, local("America/New_York", "2026-11-29 18:00")))[coach, "coach_weekly"]
    assert "• Busy: 2 days logged, 1 workouts, 178.5 lb (-1.5 lb)" in text
    assert "• Idle: nothing logged" in text


async def test_goal_heads_up_and_inactivity(world):
    person = world.person("UTC", joined=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    world.goal(person, dt.date(2026, 11, 30), progress=42.5, title="Bench 100 kg")
    world.meal(person, dt.date(2026, 11, 20))
    sent = await texts(world, local("UTC", "2026-11-25 08:00"))
    assert "Bench 100 kg is due in 5 days (Mon Nov 30) and stands at ▓▓▓▓░░░░░░ 42%." in sent[person, "goal_heads_up"]
    assert "Nothing logged since Fri Nov 20." in sent[person, "inactivity"]


async def test_a_late_checkin_after_midnight_names_the_day(world):
    person = world.person("UTC", reminder_time=dt.time(23, 30))
    await world.send(local("UTC", "2026-11-25 23:29"))
    text = (await texts(world, local("UTC", "2026-11-26 00:15")))[person, "checkin"]
    assert "nothing logged for yesterday yet" in text
