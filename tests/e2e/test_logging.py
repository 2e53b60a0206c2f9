"""Logging by chat end to end: what people type lands in the tables, is answered in their units, and undoes."""

import datetime as dt

from tests.e2e.harness import PASSWORD


def metrics(bot, person):
    return bot.query(
        "SELECT recorded_date, weight_lbs::float8 AS weight_lbs, body_fat_percentage::float8 AS body_fat_percentage, mood FROM health_metrics WHERE user_id = :u "
        "ORDER BY recorded_date",
        u=person.account_id,
    )


def audit_count(bot, person, table, action=None):
    sql = "SELECT count(*) FROM audit_log WHERE user_id = :u AND table_name = :t"
    if action:
        sql += " AND action = :a"
    return bot.scalar(sql, u=person.account_id, t=table, a=action)


def saved_rows(bot):
    return {
        table: bot.scalar(f"SELECT count(*) FROM {table}")
        for table in ("health_metrics", "workout_sessions", "exercise_logs", "meal_logs", "logged_messages")
    }


NOTHING_SAVED = {"health_metrics": 0, "workout_sessions": 0, "exercise_logs": 0, "meal_logs": 0, "logged_messages": 0}


async def test_metrics_are_saved_answered_and_undone(bot):
    sam = bot.person(601)
    await sam.register("sam")
    reply = await sam.ask("weight 182 bf 18")
    assert "Logged for today" in reply.shown_text
    assert "weight 182.0 lb" in reply.shown_text and "body fat 18.0%" in reply.shown_text
    assert [b["text"] for b in reply.buttons] == ["Undo"]
    row = metrics(bot, sam)
    assert [(r.recorded_date, r.weight_lbs, r.body_fat_percentage) for r in row] == [(dt.date(2026, 11, 25), 182, 18)]
    assert audit_count(bot, sam, "health_metrics", "insert") == 1
    journal = bot.query("SELECT text, changes, undone_at FROM logged_messages WHERE user_id = :u", u=sam.account_id)
    assert journal[0].text == "weight 182 bf 18" and journal[0].undone_at is None
    assert journal[0].changes[0]["action"] == "insert" and journal[0].changes[0]["after"]["weight_lbs"] == 182

    undone = await sam.ask("/undo")
    assert "Undone" in undone.shown_text and "weight 182 bf 18" in undone.shown_text
    assert metrics(bot, sam) == []
    assert audit_count(bot, sam, "health_metrics", "delete") == 1
    assert bot.scalar("SELECT undone_at FROM logged_messages WHERE user_id = :u", u=sam.account_id) is not None
    assert "nothing to undo" in (await sam.ask("/undo")).shown_text


async def test_a_second_log_of_the_day_merges_and_its_undo_restores(bot):
    sam = bot.person(602)
    await sam.register("merger")
    await sam.ask("weight 183.4")
    bot.clock.advance(hours=2)
    reply = await sam.ask("weight 182 mood 7")
    assert "weight 182.0 lb (was 183.4)" in reply.shown_text and "mood 7/10" in reply.shown_text
    assert [(r.weight_lbs, r.mood) for r in metrics(bot, sam)] == [(182, 7)]
    assert audit_count(bot, sam, "health_metrics", "update") == 1

    undone = await sam.ask("/undo")
    assert "weight 183.4 lb" in undone.shown_text
    assert [(r.weight_lbs, r.mood) for r in metrics(bot, sam)] == [(183.4, None)]  # kept, not deleted
    assert audit_count(bot, sam, "health_metrics", "update") == 2


async def test_undo_button_and_a_second_press(bot):
    sam = bot.person(603)
    await sam.register("presser")
    bench = await sam.ask("bench 3x5 @ 185")
    edited = await sam.press("Undo", bench)
    assert edited.message_id == bench.message_id and "Undone" in edited.shown_text and not edited.buttons
    assert bot.scalar("SELECT count(*) FROM exercise_logs") == 0
    assert bot.scalar("SELECT count(*) FROM workout_sessions") == 0
    assert audit_count(bot, sam, "exercise_logs", "delete") == 1
    assert audit_count(bot, sam, "workout_sessions", "delete") == 1

    mood = await sam.ask("mood 6")
    assert "Undone" in (await sam.ask("/undo")).shown_text
    again = await sam.press("Undo", mood)
    assert "already undone" in again.shown_text
    assert metrics(bot, sam) == []


async def test_undo_of_an_older_log_leaves_fields_a_later_log_changed(bot):
    sam = bot.person(604)
    await sam.register("restorer")
    first = await sam.ask("weight 183.4")
    second = await sam.ask("weight 182 bf 20")
    await sam.ask("weight 181")  # a later log changes the weight again
    reply = await sam.press("Undo", second)
    assert "Left as they are" in reply.shown_text and "weight (today)" in reply.shown_text
    row = bot.query(
        "SELECT weight_lbs::float8, body_fat_percentage::float8 FROM health_metrics WHERE user_id = :u",
        u=sam.account_id,
    )
    assert tuple(row[0]) == (181, None)  # body fat still held this log's value, so it went; the weight stayed
    reply = await sam.press("Undo", first)  # it created the row, but the row now holds a later weight
    assert "Left as they are" in reply.shown_text
    assert bot.scalar("SELECT weight_lbs::float8 FROM health_metrics WHERE user_id = :u", u=sam.account_id) == 181


async def test_a_log_sent_before_linking_is_kept_and_logged_after_register(bot):
    ana = bot.person(605)
    reply = await ana.ask("bench 3x5 @ 185")
    assert "I don't know you yet" in reply.shown_text and "/register" in reply.shown_text
    assert "keep your message" in reply.shown_text
    greeting = await ana.ask("hello")
    assert "I don't know you yet" in greeting.shown_text and "keep" not in greeting.shown_text
    assert bot.scalar("SELECT count(*) FROM pending_messages WHERE telegram_user_id = 605") == 1

    replies = await ana.say(f"/register ana ana@example.com {PASSWORD}")
    assert "Welcome" in replies[0].shown_text
    earlier = replies[-1]
    assert "Logged your earlier message “bench 3x5 @ 185”" in earlier.shown_text
    assert "185 lb" in earlier.shown_text and [b["text"] for b in earlier.buttons] == ["Undo"]
    row = bot.query("SELECT sets, reps, weight_lbs::float8 AS w FROM exercise_logs")
    assert [tuple(r) for r in row] == [(3, 5, 185.0)]
    assert bot.scalar("SELECT count(*) FROM pending_messages") == 0


async def test_kept_messages_expire_and_are_capped(bot):
    ana = bot.person(606)
    await ana.ask("weight 180")
    bot.clock.advance(days=8)  # too old to log by the time they link
    for reps in range(1, 22):
        await ana.ask(f"pushups 1x{reps}")
    assert bot.scalar("SELECT count(*) FROM pending_messages") == 20
    replies = await ana.say(f"/register ana2 ana2@example.com {PASSWORD}")
    assert sum("Logged your earlier message" in r.shown_text for r in replies) == 20
    assert bot.scalar("SELECT count(*) FROM health_metrics") == 0
    assert [r[0] for r in bot.query("SELECT reps FROM exercise_logs ORDER BY order_index")] == list(range(2, 22))


async def test_invalid_input_saves_nothing_and_says_what_to_fix(bot):
    sam = bot.person(607)
    await sam.register("typo")
    expected = {
        "bf 180": ["bf 180", "2-75"],
        "mood 11": ["mood 11", "1-10"],
        "weight 182 tomorrow": ["tomorrow", "future"],
        "weight 182 bf 180": ["bf 180", "2-75"],  # all or nothing: the valid weight is not saved either
        "bp 400/80": ["400", "50-300"],
    }
    for text, parts in expected.items():
        reply = await sam.ask(text)
        assert "Nothing was saved" in reply.shown_text and not reply.buttons, text
        for part in parts:
            assert part in reply.shown_text, (text, reply.shown_text)
    reply = await sam.ask("blah blah")
    assert "“blah blah”" in reply.shown_text or "'blah blah'" in reply.shown_text
    assert "not understood" in reply.shown_text and "Try e.g." in reply.shown_text
    assert saved_rows(bot) == NOTHING_SAVED
    assert bot.scalar("SELECT count(*) FROM audit_log WHERE table_name <> ALL(ARRAY['users','telegram_links'])") == 0


async def test_greetings_and_titles_are_not_errors(bot):
    sam = bot.person(608)
    await sam.register("chatty")
    for text in ("hello", "Leg day"):
        reply = await sam.ask(text)
        assert "nothing to log" in reply.shown_text.lower() and "weight 182 bf 18" in reply.shown_text, text
        assert "Nothing was saved" not in reply.shown_text
    assert saved_rows(bot) == NOTHING_SAVED


async def test_the_same_message_delivered_twice_is_logged_once(bot):
    sam = bot.person(609)
    await sam.register("twice")
    update = bot.api.user_sends_text(sam.user_id, "weight 182")
    await bot.settle()
    bot.api.push_update(update)  # the same update again: the application drops a repeated update id
    bot.api.push_update({**update, "update_id": update["update_id"] + 1000})  # after a restart, a new id
    await bot.settle()
    assert bot.scalar("SELECT count(*) FROM logged_messages") == 1
    assert audit_count(bot, sam, "health_metrics") == 1
    logged = [m for m in bot.api.bot_messages(sam.chat_id) if "Logged" in (m.shown_text or "")]
    assert len(logged) == 1


async def test_a_bare_number_is_asked_about(bot):
    sam = bot.person(610)
    await sam.register("asker")
    question = await sam.ask("182")
    assert "Log weight 182 lb?" in question.shown_text
    assert [b["text"] for b in question.buttons] == ["Yes", "No"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in question.buttons)
    assert saved_rows(bot)["health_metrics"] == 0
    reply = await sam.press("Yes", question)
    assert "weight 182.0 lb" in reply.shown_text and [b["text"] for b in reply.buttons] == ["Undo"]
    assert [r.weight_lbs for r in metrics(bot, sam)] == [182]

    reply = await sam.press("No", await sam.ask("175"))
    assert "didn't log" in reply.shown_text
    assert [r.weight_lbs for r in metrics(bot, sam)] == [182]

    stale = await sam.ask("176")
    bot.app.chat_data[sam.chat_id].clear()  # what a restart does to the questions waiting for an answer
    assert "expired" in (await sam.press("Yes", stale)).shown_text
    assert [r.weight_lbs for r in metrics(bot, sam)] == [182]


async def test_exercises_go_into_one_session_per_day(bot):
    sam = bot.person(611)
    await sam.register("lifter")
    reply = await sam.ask("bench 3x5 @ 185\nsquat 5x5 225")
    assert "Barbell Bench Press" in reply.shown_text and "3x5 @ 185 lb" in reply.shown_text
    assert bot.query("SELECT session_type FROM workout_sessions")[0][0] == "strength"
    await sam.ask("ran 3.1 mi in 28:30")
    sessions = bot.query("SELECT id, session_type, session_date FROM workout_sessions")
    assert [(s.session_type, s.session_date) for s in sessions] == [("mixed", dt.date(2026, 11, 25))]
    rows = bot.query(
        "SELECT e.exercise_name, e.order_index, e.workout_session_id, d.name AS definition "
        "FROM exercise_logs e LEFT JOIN exercise_definitions d ON d.id = e.exercise_definition_id ORDER BY e.order_index"
    )
    assert [r.order_index for r in rows] == [0, 1, 2]
    assert {r.workout_session_id for r in rows} == {sessions[0].id}
    assert rows[0].definition == rows[0].exercise_name == "Barbell Bench Press - Medium Grip"
    await sam.ask("workout 60 min intensity 8")
    row = bot.query("SELECT count(*) OVER () AS n, duration_minutes, intensity FROM workout_sessions")[0]
    assert tuple(row) == (1, 60, 8)
    await sam.ask("/undo")
    assert bot.query("SELECT session_type, duration_minutes FROM workout_sessions")[0] == ("mixed", None)
    await sam.ask("/undo")  # the run: its session type change is put back too
    assert bot.query("SELECT session_type FROM workout_sessions")[0][0] == "strength"
    assert bot.scalar("SELECT count(*) FROM exercise_logs") == 2


async def test_a_cardio_day_is_a_cardio_session(bot):
    sam = bot.person(612)
    await sam.register("runner")
    await sam.ask("run 5k 27:30 yesterday")
    row = bot.query("SELECT session_type, session_date FROM workout_sessions")[0]
    assert tuple(row) == ("cardio", dt.date(2026, 11, 24))


async def test_meals_are_rows_with_their_calories(bot):
    sam = bot.person(613)
    await sam.register("eater")
    reply = await sam.ask("snack protein bar 20p 25c 8f")
    assert "snack: protein bar" in reply.shown_text and "252 kcal" in reply.shown_text
    await sam.ask("lunch chicken salad 450 kcal 40p\nwater 16oz")
    rows = bot.query("SELECT meal_type, description, calories, water_oz::float8 AS water FROM meal_logs ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("snack", "protein bar", 252, None),
        ("lunch", "chicken salad", 450, None),
        ("other", None, None, 16.0),
    ]
    assert audit_count(bot, sam, "meal_logs", "insert") == 3


async def test_a_metric_person_types_and_reads_kilograms(bot):
    eva = bot.person(614)
    await eva.register("eva")
    await eva.ask("/units metric")
    reply = await eva.ask("weight 82.5")
    assert "weight 82.5 kg" in reply.shown_text
    assert abs(metrics(bot, eva)[0].weight_lbs - 181.9) < 0.05  # 82.5 kg, stored in pounds
    reply = await eva.ask("weight 82")
    assert "weight 82.0 kg (was 82.5)" in reply.shown_text


async def test_every_write_leaves_an_audit_row(bot):
    sam = bot.person(615)
    await sam.register("audited")
    await sam.ask("weight 182\nbench 3x5 @ 185\nlunch salad 400 kcal")
    await sam.ask("weight 181")
    await sam.ask("/undo")
    await sam.ask("/undo")
    audits = {
        (r.table_name, r.row_id, r.action)
        for r in bot.query("SELECT table_name, row_id, action FROM audit_log WHERE user_id = :u", u=sam.account_id)
    }
    journal = bot.query("SELECT id, changes FROM logged_messages WHERE user_id = :u", u=sam.account_id)
    changes = [change for row in journal for change in row.changes]
    assert len(changes) == 5  # metric, session, exercise, meal; then the merged weight
    assert all((c["table"], str(c["id"]), c["action"]) in audits for c in changes)
    assert {("logged_messages", str(row.id), "insert") for row in journal} <= audits
    for table in ("health_metrics", "workout_sessions", "exercise_logs", "meal_logs"):
        assert (table, "delete") in {(t, a) for t, _, a in audits}, table
    assert bot.scalar("SELECT count(*) FROM health_metrics") == 0


async def test_yesterday_is_the_persons_yesterday(bot):
    sam = bot.person(616)
    await sam.register("nightowl")
    await sam.ask("/tz America/New_York")
    bot.clock.now = dt.datetime(2026, 11, 26, 3, 30, tzinfo=dt.UTC)  # 22:30 on Nov 25 in New York
    reply = await sam.ask("weight 180 yesterday")
    assert "Logged for yesterday" in reply.shown_text
    await sam.ask("weight 181")
    assert [(r.recorded_date, r.weight_lbs) for r in metrics(bot, sam)] == [
        (dt.date(2026, 11, 24), 180),
        (dt.date(2026, 11, 25), 181),
    ]


async def test_messages_handled_at_once_merge_into_one_day(bot):
    sam = bot.person(617)
    await sam.register("hasty")
    texts = ("weight 182", "bench 3x5 @ 185", "mood 7", "squat 5x5 225", "bf 18", "deadlift 1x5 315")
    for text in texts:
        bot.api.user_sends_text(sam.user_id, text)  # all queued before the bot handles any: handled concurrently
    await bot.settle()
    assert [(r.weight_lbs, r.body_fat_percentage, r.mood) for r in metrics(bot, sam)] == [(182, 18, 7)]
    assert bot.scalar("SELECT count(*) FROM workout_sessions") == 1
    assert sorted(r[0] for r in bot.query("SELECT order_index FROM exercise_logs")) == [0, 1, 2]
    assert bot.scalar("SELECT count(*) FROM logged_messages") == len(texts)


async def test_a_message_about_two_days_lists_both(bot):
    sam = bot.person(618)
    await sam.register("twodays")
    reply = await sam.ask("weight 182 today\nmood 7 yesterday\nbench 3x5 @ 185 nov 20")
    assert "<b>Today</b>" in reply.text and "<b>Yesterday</b>" in reply.text and "<b>Fri Nov 20</b>" in reply.text
    assert [(r.recorded_date, r.weight_lbs, r.mood) for r in metrics(bot, sam)] == [
        (dt.date(2026, 11, 24), None, 7),
        (dt.date(2026, 11, 25), 182, None),
    ]
    assert bot.scalar("SELECT session_date FROM workout_sessions") == dt.date(2026, 11, 20)
    await sam.ask("/undo")
    assert saved_rows(bot)["health_metrics"] == saved_rows(bot)["exercise_logs"] == 0


async def test_a_log_after_the_database_dropped_its_connections_is_still_saved(bot):
    sam = bot.person(640)
    await sam.register("sam")
    await sam.ask("weight 182")  # the bot's pool now holds open connections
    bot.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'fitbot_app' AND pid <> pg_backend_pid()"
    )
    reply = await sam.ask("bf 18")
    assert "body fat 18.0%" in reply.shown_text
    assert [(r.weight_lbs, r.body_fat_percentage) for r in metrics(bot, sam)] == [(182, 18)]
