"""Coach and client end to end: invite, join, logs, /clients, /review, sessions, action items, ending, refusals.

A coach is made by setting the role with SQL as the superuser (the operator CLI
does the same); logged data is inserted with SQL too (the chat logging path is
tested elsewhere). The bot's clock stands at Wed 2026-11-25 17:00 UTC.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from fitness_core.db import APP_ROLE
from handlers.coaching_sessions import SESSION_EXAMPLE
from tests.e2e.harness import Harness, Person

NOT_A_COACH = "your account is not a coach account"


def execute(bot: Harness, sql: str, **params) -> None:
    """Write as the superuser, committed."""
    with bot.admin.begin() as conn:
        conn.execute(text(sql), params)


def as_app_user(bot: Harness, user_id: int, sql: str, **params) -> list:
    """Run raw SQL as the application role acting for user_id: row-level security decides, not the bot."""
    with bot.admin.connect() as conn, conn.begin():
        conn.execute(text(f"SET LOCAL ROLE {APP_ROLE}"))
        conn.execute(text("SELECT set_config('app.user_id', :u, true)"), {"u": str(user_id)})
        result = conn.execute(text(sql), params)
        return result.all() if result.returns_rows else []


async def make_coach(bot: Harness, telegram_id: int, username: str) -> Person:
    coach = bot.person(telegram_id, "Kim")
    await coach.register(username)
    execute(bot, "UPDATE users SET role = 'coach' WHERE id = :i", i=coach.account_id)
    return coach


async def invite_code(coach: Person) -> str:
    reply = await coach.ask("/invite")
    return re.search(r"\?start=([A-Z2-9]{8})\b", reply.shown_text)[1]


async def linked_pair(bot: Harness, coach_id: int = 801, client_id: int = 802) -> tuple[Person, Person]:
    coach = await make_coach(bot, coach_id, f"coach{coach_id}")
    client = bot.person(client_id, "Sam")
    await client.register(f"sam{client_id}")
    await client.say(f"/join {await invite_code(coach)}")
    await client.press("Join")
    return coach, client


def log_week(bot: Harness, client: Person) -> None:
    """A client's week: weigh-ins, a squat session, meals and a daily protein goal."""
    execute(
        bot,
        "INSERT INTO health_metrics (user_id, recorded_date, weight_lbs, body_fat_percentage) VALUES "
        "(:u, '2026-11-19', 182, 20), (:u, '2026-11-22', 181.2, NULL), (:u, '2026-11-25', 180.5, 19.5)",
        u=client.account_id,
    )
    execute(
        bot,
        "WITH w AS (INSERT INTO workout_sessions (user_id, session_date, session_type) VALUES "
        "(:u, '2026-10-01', 'strength'), (:u, '2026-11-24', 'strength') RETURNING id, session_date) "
        "INSERT INTO exercise_logs (workout_session_id, exercise_name, sets, reps, weight_lbs) "
        "SELECT id, 'Squat', 5, 5, CASE WHEN session_date < '2026-11-01' THEN 225 ELSE 235 END FROM w",
        u=client.account_id,
    )
    execute(
        bot,
        "INSERT INTO meal_logs (user_id, meal_date, meal_type, calories, protein_g) VALUES "
        "(:u, '2026-11-25', 'lunch', 2100, 165), (:u, '2026-11-24', 'dinner', 1900, 120)",
        u=client.account_id,
    )
    execute(
        bot,
        "INSERT INTO user_goals (user_id, goal_type, status, title, target_unit, target_value) "
        "VALUES (:u, 'nutrition', 'active', 'Protein 160 g daily', 'g/day', 160)",
        u=client.account_id,
    )


async def test_invite_by_deep_link_then_logs_clients_review_session_and_action_items(bot):
    kim = await make_coach(bot, 801, "coachkim")
    sam = bot.person(802, "Sam")
    await sam.register("sam")

    invite = await kim.ask("/invite")
    code = re.search(r"https://t\.me/primary_assistant_bot\?start=([A-Z2-9]{8})\b", invite.shown_text)[1]
    assert f"/join {code}" in invite.shown_text
    offer = await sam.ask(f"/start {code}")
    assert offer.shown_text == (
        "Kim (@coachkim) invites you to be coached.\n\n"
        "If you join, your coach will see:\n"
        "• your weight and body measurements\n"
        "• your workouts\n"
        "• your meals\n"
        "• your goals\n"
        "• your settings, like your time zone\n"
        "• progress photos: only those you share\n"
        "Never your password, your email or your Telegram account.\n"
        "You can stop at any time with /leave."
    )
    assert [b["text"] for b in offer.buttons] == ["Join", "No thanks"]
    joined = await sam.press("Join")
    assert joined.shown_text.startswith("You joined Kim (@coachkim) as your coach.") and not joined.buttons
    assert "Sam (@sam) accepted your invite" in bot.api.bot_messages(kim.chat_id)[-1].shown_text
    assert bot.query("SELECT status FROM coach_clients WHERE client_id = :u", u=sam.account_id)[0].status == "active"

    log_week(bot, sam)
    overview = (await kim.ask("/clients")).shown_text.splitlines()
    assert overview[1] == ("Sam (@sam) · last log today · weight 7d -1.5 lb · 1 workout · nutrition on goal 1/7 days")
    week = (await kim.ask("/review sam")).shown_text
    assert "Review of Sam (@sam), last 7 days (Thu Nov 19 – today)" in week
    assert "Weight 182.0 lb → 180.5 lb (-1.5 lb), 3 weigh-ins" in week
    assert "Body fat 20% → 19.5% (-0.5)" in week
    assert "1 session · 5 sets · 5,875 lb volume" in week
    assert "🏆 Squat: est. 1RM 274.2 lb (best before 262.5 lb)" in week
    assert "Protein 160 g daily: 0%" in week
    assert "Last session\nNone yet" in week

    saved = await kim.ask(SESSION_EXAMPLE.replace(" sam ", " @Sam "))
    assert saved.shown_text.startswith("Saved.\n\nCoaching session Wed Nov 25, 45 min")
    assert "Sent to Sam (@sam)" in saved.shown_text
    received = bot.api.bot_messages(sam.chat_id)[-4:]
    assert received[0].shown_text.startswith("From your coach Kim (@coachkim):")
    assert "Feedback: great week" in received[0].shown_text
    assert "Next session: Wed Dec 2" in received[0].shown_text
    assert [m.shown_text for m in received[1:3]] == ["☐ walk 8k steps daily", "☐ protein 160g"]
    assert [b["text"] for b in received[3].buttons] == [str(n) for n in range(1, 11)]

    done = await sam.press("✅ Done", received[1])
    assert done.shown_text == "✅ walk 8k steps daily: done"
    rated = await sam.press("8", received[3])
    assert rated.shown_text == "Thanks! You rated this session 8/10."
    coach_view = (await kim.ask("/actions")).shown_text
    assert "Sam (@sam)\n✅ walk 8k steps daily\n☐ protein 160g" in coach_view

    mine = await sam.ask("/actions")
    assert mine.shown_text == "Your action items\n☐ protein 160g"
    cleared = await sam.press("✅ protein 160g", mine)
    assert cleared.shown_text == "Your action items\nNothing open. 🎉"
    row = bot.query(
        "SELECT completed, completion_notes, user_rating, done_action_items FROM coaching_sessions WHERE user_id = :u",
        u=sam.account_id,
    )[0]
    assert (row.completed, row.user_rating, row.done_action_items) == (True, 8, [1, 2])
    assert row.completion_notes == "2026-11-25: done: walk 8k steps daily\n2026-11-25: done: protein 160g"
    actions = bot.query("SELECT action FROM audit_log WHERE table_name = 'coaching_sessions' ORDER BY id")
    assert [a.action for a in actions] == ["create", "action_done", "rate", "action_done"]
    last = (await kim.ask("/review sam")).shown_text
    assert "Last session\ntoday · topics: sleep, protein · rated 8/10 · next Wed Dec 2 (in 7 days)" in last


async def test_join_by_code_no_thanks_and_guided_session(bot):
    kim = await make_coach(bot, 811, "coachkim")
    ana = bot.person(812, "Ana")
    await ana.register("ana")
    code = await invite_code(kim)
    await ana.say(f"/join {code.lower()}")
    declined = await ana.press("No thanks")
    assert declined.shown_text.startswith("No problem: nothing is shared.")
    assert bot.scalar("SELECT count(*) FROM coach_clients") == 0
    await ana.say(f"/join {code}")
    await ana.press("Join")

    assert "1/7 When was it?" in (await kim.ask("/session ana")).shown_text
    assert "2/7 How long?" in (await kim.ask("yesterday")).shown_text
    assert "couldn't read the duration" in (await kim.ask("forever")).shown_text
    assert "3/7 Topics" in (await kim.ask("1h")).shown_text
    await kim.ask("mobility, sleep")
    await kim.ask("skip")
    await kim.ask("Solid effort")
    assert "7/7 Date of the next session?" in (await kim.ask("- stretch 10 min daily\n- bed by 23:00")).shown_text
    saved = await kim.ask("dec 1")
    assert saved.shown_text.startswith("Saved.\n\nCoaching session Tue Nov 24, 60 min\nTopics: mobility, sleep")
    row = bot.query(
        "SELECT session_date, duration_minutes, topics, discussion_notes, action_items FROM coaching_sessions"
    )[0]
    assert (str(row.session_date), row.duration_minutes, row.topics, row.discussion_notes) == (
        "2026-11-24",
        60,
        ["mobility", "sleep"],
        None,
    )
    assert row.action_items == ["stretch 10 min daily", "bed by 23:00"]
    assert len([m for m in bot.api.bot_messages(ana.chat_id) if m.shown_text.startswith("☐")]) == 2

    await kim.ask("/session ana")
    assert (await kim.ask("/cancel")).shown_text == "Cancelled. No session was saved."
    assert bot.scalar("SELECT count(*) FROM coaching_sessions") == 1
    assert "records a coaching session" in (await kim.ask("/session")).shown_text


async def test_codes_that_do_not_work_get_a_clear_answer(bot):
    kim = await make_coach(bot, 821, "coachkim")
    sam, ana = bot.person(822), bot.person(823)
    await sam.register("sam")
    await ana.register("ana")
    code = await invite_code(kim)
    assert "your own invite" in (await kim.ask(f"/join {code}")).shown_text
    assert "I don't know the invite code ABCDEFGH" in (await sam.ask("/join ABCDEFGH")).shown_text
    assert "is not an invite code" in (await sam.ask("/join hello!")).shown_text
    assert "Send /join with your coach's code" in (await sam.ask("/join")).shown_text
    await sam.say(f"/join {code}")
    await ana.say(f"/join {code}")
    await sam.press("Join")
    late = await ana.press("Join")  # the offer was shown before sam used the code
    assert late.shown_text == "That invite was already used. Ask your coach for a new one."
    assert "already used" in (await ana.ask(f"/join {code}")).shown_text
    stale = await invite_code(kim)
    bot.clock.advance(days=7)
    assert "has expired" in (await ana.ask(f"/start {stale}")).shown_text
    stranger = bot.person(824)
    replies = await stranger.say(f"/start {stale}")
    assert "I don't know you yet" in replies[0].shown_text
    assert replies[1].shown_text == f"Once your account is linked, send /join {stale} to accept."


async def test_coach_commands_refuse_people_without_the_coach_role(bot):
    _kim, sam = await linked_pair(bot, 831, 832)
    for command in (
        "/invite",
        "/clients",
        "/review sam832",
        "/session",
        "/session sam832",
        "/session sam832 feedback: hi",
        "/drop x",
    ):
        assert NOT_A_COACH in (await sam.ask(command)).shown_text, command
    assert bot.scalar("SELECT count(*) FROM coach_invites WHERE coach_id = :u", u=sam.account_id) == 0


async def test_naming_someone_who_is_not_your_client_is_refused_by_the_bot_and_the_database(bot):
    kim, sam = await linked_pair(bot, 841, 842)
    lee = await make_coach(bot, 843, "coachlee")
    ana = bot.person(844)
    await ana.register("ana844")
    for who, command in ((lee, "/review sam842"), (lee, "/session sam842 feedback: hi"), (lee, "/drop sam842")):
        assert (await who.ask(command)).shown_text == "@sam842 is not your client.", command
    assert (await kim.ask("/review nobody")).shown_text == "@nobody is not your client."
    assert (await kim.ask("/session ana844")).shown_text == "@ana844 is not your client."
    assert bot.scalar("SELECT count(*) FROM coaching_sessions") == 0
    with pytest.raises(DBAPIError, match="row-level security"):
        as_app_user(
            bot,
            lee.account_id,
            "INSERT INTO coaching_sessions (user_id, coach_id, session_date) VALUES (:u, :c, '2026-11-25')",
            u=sam.account_id,
            c=lee.account_id,
        )
    assert as_app_user(bot, lee.account_id, "SELECT id FROM users WHERE id = :u", u=sam.account_id) == []


async def test_either_side_ends_the_link_and_access_ends_with_it(bot):
    kim, sam = await linked_pair(bot, 851, 852)
    log_week(bot, sam)
    read = "SELECT count(*) FROM health_metrics WHERE user_id = :u"
    assert as_app_user(bot, kim.account_id, read, u=sam.account_id)[0][0] == 3

    assert "is no longer your coach" in (await sam.ask("/leave")).shown_text
    assert "(@sam852) ended coaching with you." in bot.api.bot_messages(kim.chat_id)[-1].shown_text
    assert (await kim.ask("/review sam852")).shown_text == "@sam852 is not your client."
    assert as_app_user(bot, kim.account_id, read, u=sam.account_id)[0][0] == 0
    assert (await sam.ask("/leave")).shown_text == "You have no coach."
    ended = bot.query("SELECT status, ended_at FROM coach_clients WHERE client_id = :u", u=sam.account_id)[0]
    assert ended.status == "ended" and ended.ended_at is not None

    await sam.say(f"/join {await invite_code(kim)}")
    await sam.press("Join")
    assert as_app_user(bot, kim.account_id, read, u=sam.account_id)[0][0] == 3
    assert "Say whom" in (await kim.ask("/drop")).shown_text
    assert "is no longer your client" in (await kim.ask("/drop @SAM852")).shown_text
    assert "ended coaching with you: they no longer see your data" in bot.api.bot_messages(sam.chat_id)[-1].shown_text
    assert as_app_user(bot, kim.account_id, read, u=sam.account_id)[0][0] == 0
    assert "You have no clients yet" in (await kim.ask("/clients")).shown_text
    statuses = bot.query("SELECT status FROM coach_clients WHERE client_id = :u ORDER BY id", u=sam.account_id)
    assert [s.status for s in statuses] == ["ended", "ended"]
    ends = bot.query("SELECT details->>'by' AS by FROM audit_log WHERE action = 'end' ORDER BY id")
    assert [e.by for e in ends] == ["client", "coach"]
