"""Goals end to end: /goal in plain words, /goals with bars and buttons, buttons acting on one's own goals only.

Logged data is inserted with SQL as the superuser (the chat logging path is
tested elsewhere); the bot's clock stands at Wed 2026-11-25 17:00 UTC.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from tests.e2e.harness import Harness, Person


def insert(bot: Harness, sql: str, **params) -> None:
    """Write as the superuser, committed, as if the logging path had saved it."""
    with bot.admin.begin() as conn:
        conn.execute(text(sql), params)


def add_weight(bot: Harness, person: Person, day: str, pounds: float) -> None:
    insert(
        bot,
        "INSERT INTO health_metrics (user_id, recorded_date, weight_lbs) VALUES (:u, :d, :w) "
        "ON CONFLICT (user_id, recorded_date) DO UPDATE SET weight_lbs = EXCLUDED.weight_lbs",
        u=person.account_id,
        d=day,
        w=pounds,
    )


def goal_rows(bot: Harness, person: Person) -> list:
    return bot.query(
        "SELECT id, title, goal_type, target_value, target_unit, target_date, start_value, current_value, "
        "progress_percentage, status, completed_date FROM user_goals WHERE user_id = :u ORDER BY id",
        u=person.account_id,
    )


def audit_actions(bot: Harness, goal_id: int) -> list[str]:
    rows = bot.query(
        "SELECT action FROM audit_log WHERE table_name = 'user_goals' AND row_id = :r ORDER BY id", r=str(goal_id)
    )
    return [row.action for row in rows]


async def test_goal_then_goals_shows_the_bar_and_buttons(bot):
    sam = bot.person(701)
    await sam.register("goalsam")
    add_weight(bot, sam, "2026-11-20", 200)

    reply = await sam.ask("/goal weight 175 by mar 1")

    assert "Goal set: Weight 175 lb by Mar 1" in reply.shown_text
    assert "Now 200.0 lb" in reply.shown_text and "96 days left" in reply.shown_text
    (goal,) = goal_rows(bot, sam)
    assert (goal.goal_type, goal.target_value, goal.target_unit, goal.start_value) == ("weight_loss", 175, "lb", 200)
    assert goal.target_date == dt.date(2027, 3, 1) and goal.status == "active"
    assert audit_actions(bot, goal.id) == ["create"]

    add_weight(bot, sam, "2026-11-25", 190)
    listing = await sam.ask("/goals")

    assert "1. Weight 175 lb by Mar 1" in listing.shown_text
    assert "▓▓▓▓░░░░░░ 40%" in listing.shown_text
    assert "Now 190.0 lb (from 200.0 lb)" in listing.shown_text
    buttons = {button["text"]: button["callback_data"] for button in listing.buttons}
    assert buttons == {
        "Pause 1": f"goal:pause:{goal.id}",
        "Done 1": f"goal:complete:{goal.id}",
        "Drop 1": f"goal:abandon:{goal.id}",
        "+14d 1": f"goal:extend:{goal.id}",
    }
    assert all(len(data.encode()) <= 64 for data in buttons.values())
    assert goal_rows(bot, sam)[0].progress_percentage == 40
    assert audit_actions(bot, goal.id) == ["create", "progress"]


async def test_buttons_pause_resume_extend_complete_and_abandon_in_place(bot):
    ana = bot.person(702)
    await ana.register("goalana")
    await ana.ask("/goal weight 175 by mar 1")
    await ana.ask("/goal bench 225 by june 30")
    listing = await ana.ask("/goals")
    weight_id, bench_id = (row.id for row in goal_rows(bot, ana))

    paused = await ana.press("Pause 1", listing)
    assert paused.message_id == listing.message_id  # edited in place
    assert "Paused: Weight 175 lb by Mar 1" in paused.shown_text and "paused" in paused.shown_text
    assert any(button["text"] == "Resume 2" for button in paused.buttons)  # active goals first: bench is now 1
    assert goal_rows(bot, ana)[0].status == "paused"

    resumed = await ana.press("Resume 2", paused)
    assert "Resumed: Weight 175 lb by Mar 1" in resumed.shown_text
    assert goal_rows(bot, ana)[0].status == "active"

    extended = await ana.press("+14d 1", resumed)
    weight = goal_rows(bot, ana)[0]
    assert weight.target_date == dt.date(2027, 3, 15) and weight.title == "Weight 175 lb by Mar 15"
    assert "Extended by 14 days: Weight 175 lb by Mar 15" in extended.shown_text

    completed = await ana.press("Done 1", extended)
    weight = goal_rows(bot, ana)[0]
    assert (weight.status, weight.completed_date) == ("completed", dt.date(2026, 11, 25))
    assert "Finished" in completed.shown_text and "✅ Weight 175 lb by Mar 15 (Nov 25)" in completed.shown_text

    dropped = await ana.press("Drop 1", completed)
    assert goal_rows(bot, ana)[1].status == "abandoned"
    assert not dropped.buttons and "✖️ Bench 1RM 225 lb by Jun 30" in dropped.shown_text
    assert audit_actions(bot, weight_id) == ["create", "pause", "resume", "extend", "complete"]
    assert audit_actions(bot, bench_id) == ["create", "abandon"]


async def test_another_person_cannot_see_or_touch_the_goal(bot):
    sam = bot.person(703)
    bob = bot.person(704, first_name="Bob")
    await sam.register("ownersam")
    await bob.register("intruderbob")
    await sam.ask("/goal weight 175 by mar 1")
    (goal,) = goal_rows(bot, sam)

    bobs_list = await bob.ask("/goals")
    assert "no goals yet" in bobs_list.shown_text and "Weight 175" not in bobs_list.shown_text

    bot.api.push_update(
        {
            "callback_query": {
                "id": "forged-1",
                "from": bot.api.register_user(bob.user_id),
                "message": bobs_list.raw,
                "chat_instance": str(bob.chat_id),
                "data": f"goal:abandon:{goal.id}",
            }
        }
    )
    await bot.settle()

    edited = next(m for m in bot.api.messages(bob.chat_id) if m.message_id == bobs_list.message_id)
    assert "not one of yours" in edited.shown_text and "Weight 175" not in edited.shown_text
    assert goal_rows(bot, sam)[0].status == "active"
    assert audit_actions(bot, goal.id) == ["create"]


async def test_bad_goals_get_specific_answers_and_save_nothing(bot):
    sam = bot.person(705)
    await sam.register("badgoals")

    past = await sam.ask("/goal weight 175 by 2026-03-01")
    assert "Mar 1 2026 is in the past" in past.shown_text and "/goal bf 15 by june" in past.shown_text
    assert "don't know “height”" in (await sam.ask("/goal height 180")).shown_text
    assert "within 50-1000 lb" in (await sam.ask("/goal weight 2000 by june")).shown_text
    assert "needs a target number" in (await sam.ask("/goal weight")).shown_text
    add_weight(bot, sam, "2026-11-24", 175)
    assert "already at 175.0 lb" in (await sam.ask("/goal weight 175 by june")).shown_text
    assert goal_rows(bot, sam) == []


async def test_metric_goal_daily_protein_and_overdue(bot):
    mia = bot.person(706)
    await mia.register("metricmia")
    await mia.ask("/units metric")
    insert(
        bot,
        "INSERT INTO meal_logs (user_id, meal_date, meal_type, protein_g) VALUES (:u, '2026-11-25', 'lunch', 40)",
        u=mia.account_id,
    )

    weight = await mia.ask("/goal weight 80 by dec 1")
    protein = await mia.ask("/goal protein 160 daily")

    assert "Weight 80 kg by Dec 1" in weight.shown_text
    assert "Today so far: 40 g" in protein.shown_text
    rows = goal_rows(bot, mia)
    assert [(float(r.target_value), r.target_unit, r.goal_type, r.start_value) for r in rows] == [
        (176.4, "lb", "weight_loss", None),
        (160, "g/day", "nutrition", None),
    ]
    assert "▓▓░░░░░░░░ 25%" in (await mia.ask("/goals")).shown_text

    bot.clock.advance(days=7)  # Dec 2: the weight goal is a day late, and today's protein starts again at zero
    listing = (await mia.ask("/goals")).shown_text
    assert "OVERDUE by 1 day" in listing
    assert "░░░░░░░░░░ 0%" in listing


async def test_logging_moves_goals_congratulates_and_undo_reopens(bot):
    sam = bot.person(4701)
    await sam.register("goal_logger")
    await sam.say("weight 200")
    await sam.say("/goal weight 190 by mar 1")
    reply = (await sam.say("weight 195"))[0].shown_text
    assert "Goal: Weight 190 lb" in reply and "50%" in reply
    reply = (await sam.say("weight 189.5"))[0].shown_text
    assert "Goal reached" in reply
    assert bot.scalar("SELECT status FROM user_goals WHERE user_id = :u", u=sam.account_id) == "completed"
    reply = (await sam.say("/undo"))[0].shown_text
    assert "reopened" in reply
    assert bot.scalar("SELECT status FROM user_goals WHERE user_id = :u", u=sam.account_id) == "active"


async def test_a_lift_moves_a_strength_goal_by_estimated_one_rep_max(bot):
    sam = bot.person(4702)
    await sam.register("goal_lifter")
    await sam.say("bench 1x5 @ 185")
    await sam.say("/goal bench 225 by june 30")
    reply = (await sam.say("bench 2x2 @ 205"))[0].shown_text  # Epley: 218.7 from a start of 215.8
    assert "Goal: Bench 1RM 225 lb" in reply and "31%" in reply
    reply = (await sam.say("bench 1x3 @ 205"))[0].shown_text  # 225.5
    assert "Goal reached: Bench 1RM 225 lb" in reply
