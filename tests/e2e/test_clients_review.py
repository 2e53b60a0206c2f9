"""/clients and /review end to end: the attention order, periods, long rosters, and a constant statement count.

Clients, links and logs are inserted with SQL as the superuser, set-based, so a
roster of 50 costs a handful of statements. The bot's clock stands at
Wed 2026-11-25 17:00 UTC.
"""

from __future__ import annotations

from fitness_core.models import UserRole
from fitness_core.services import review
from fitness_core.services.access import act_as_user
from fitness_core.services.accounts import Member
from fitness_core.units import UnitSystem
from handlers.common import RUNTIME_KEY
from tests.e2e.harness import Harness, Person
from tests.e2e.test_coaching import execute, make_coach

MAX_OVERVIEW_STATEMENTS = 5


def add_clients(bot: Harness, coach: Person, count: int, prefix: str = "client") -> None:
    """`count` active clients, each with a weigh-in, a workout, a meal, a nutrition goal and an overdue session."""
    execute(
        bot,
        "WITH new AS (INSERT INTO users (username, email, password_hash, full_name) "
        "SELECT :p || n, :p || n || '@example.com', 'x', 'Client ' || n FROM generate_series(1, :count) n "
        "RETURNING id) INSERT INTO coach_clients (coach_id, client_id, status, started_at) "
        "SELECT :c, id, 'active', now() FROM new",
        p=prefix,
        count=count,
        c=coach.account_id,
    )
    clients = "SELECT client_id AS id FROM coach_clients WHERE coach_id = :c AND status = 'active'"
    for statement in (
        f"INSERT INTO health_metrics (user_id, recorded_date, weight_lbs) SELECT id, d, 180 + (d - '2026-11-18'::date) * 0.1 "
        f"FROM ({clients}) c, (VALUES ('2026-11-18'::date), ('2026-11-25'::date)) v(d)",
        f"WITH w AS (INSERT INTO workout_sessions (user_id, session_date, session_type) "
        f"SELECT id, '2026-11-24', 'strength' FROM ({clients}) c RETURNING id) "
        "INSERT INTO exercise_logs (workout_session_id, exercise_name, sets, reps, weight_lbs) "
        "SELECT id, 'Squat', 5, 5, 200 FROM w",
        f"INSERT INTO meal_logs (user_id, meal_date, meal_type, calories, protein_g) "
        f"SELECT id, '2026-11-25', 'lunch', 2000, 150 FROM ({clients}) c",
        f"INSERT INTO user_goals (user_id, goal_type, status, title, target_unit, target_value) "
        f"SELECT id, 'nutrition', 'active', 'Calories', 'kcal/day', 2100 FROM ({clients}) c",
        f"INSERT INTO coaching_sessions (user_id, coach_id, session_date, action_items, next_session_date) "
        f"SELECT id, :c, '2026-11-10', '{{walk,sleep}}', '2026-11-20' FROM ({clients}) c",
    ):
        execute(bot, statement, c=coach.account_id)


async def overview_statements(bot: Harness, coach: Person) -> tuple[int, int]:
    """(statements, lines) of review.client_overview, run as the coach on the bot's own engine."""
    runtime = bot.app.bot_data[RUNTIME_KEY]
    member = Member(coach.account_id, "coach", None, UserRole.COACH, UnitSystem.IMPERIAL, "UTC")
    async with runtime.transaction() as session:
        await act_as_user(session, coach.account_id)
        with bot.counting_statements() as statements:
            lines = await review.client_overview(session, member, bot.clock())
    return len(statements), len(lines)


async def test_clients_costs_the_same_few_statements_for_one_client_and_for_fifty(bot):
    few, many = await make_coach(bot, 901, "coachfew"), await make_coach(bot, 902, "coachmany")
    add_clients(bot, few, 1, prefix="solo")
    add_clients(bot, many, 50)

    one = await overview_statements(bot, few)
    fifty = await overview_statements(bot, many)

    assert one == (one[0], 1) and fifty == (one[0], 50)
    assert one[0] <= MAX_OVERVIEW_STATEMENTS
    replies = await many.say("/clients")
    lines = [line for reply in replies for line in reply.shown_text.splitlines()]
    assert len(replies) > 1 and all(len(reply.shown_text) <= 4096 for reply in replies)
    assert len([line for line in lines if line.startswith("Client ")]) == 50
    assert lines[1].startswith("Client 1 (@client1) · last log today · weight 7d +0.7 lb · 1 workout")
    assert lines[1].endswith("nutrition on goal 1/7 days · overdue: 0 goals, 2 action items")


async def test_the_client_who_needs_attention_comes_first(bot):
    kim = await make_coach(bot, 911, "coachkim")
    add_clients(bot, kim, 4, prefix="cli")
    ids = {row.username: row.id for row in bot.query("SELECT id, username FROM users WHERE username LIKE 'cli_'")}
    # cli1: silent for 5 days (flagged); cli2: never logged (flagged, longer silence); cli3: active but with
    # an extra overdue goal; cli4: active, only the session's overdue items.
    execute(bot, "DELETE FROM health_metrics WHERE user_id IN (:a, :b)", a=ids["cli1"], b=ids["cli2"])
    execute(bot, "DELETE FROM meal_logs WHERE user_id IN (:a, :b)", a=ids["cli1"], b=ids["cli2"])
    execute(bot, "UPDATE workout_sessions SET session_date = '2026-11-20' WHERE user_id = :a", a=ids["cli1"])
    execute(bot, "DELETE FROM workout_sessions WHERE user_id = :b", b=ids["cli2"])
    execute(
        bot,
        "INSERT INTO user_goals (user_id, goal_type, status, title, target_date) "
        "VALUES (:c, 'habit', 'active', 'Walk daily', '2026-11-01')",
        c=ids["cli3"],
    )
    lines = (await kim.ask("/clients")).shown_text.splitlines()[1:]
    assert [line.split(" · ")[0] for line in lines] == [
        "⚠️ Client 2 (@cli2)",
        "⚠️ Client 1 (@cli1)",
        "Client 3 (@cli3)",
        "Client 4 (@cli4)",
    ]
    assert "last log never" in lines[0] and "last log 5 days ago" in lines[1]
    assert lines[2].endswith("overdue: 1 goal, 2 action items")


async def test_review_periods_and_usage(bot):
    kim = await make_coach(bot, 921, "coachkim")
    add_clients(bot, kim, 1, prefix="solo")
    execute(
        bot,
        "INSERT INTO health_metrics (user_id, recorded_date, weight_lbs) "
        "SELECT client_id, '2026-11-01', 185 FROM coach_clients WHERE coach_id = :c",
        c=kim.account_id,
    )
    week = (await kim.ask("/review solo1")).shown_text
    month = (await kim.ask("/review @Solo1 MONTH")).shown_text
    assert "last 7 days (Thu Nov 19 – today)" in week and "Weight 180.7 lb, 1 weigh-in" in week
    assert "last 30 days (Tue Oct 27 – today)" in month and "185.0 lb → 180.7 lb (-4.3 lb), 3 weigh-ins" in month
    assert "Open action items\n☐ walk ⚠️ overdue\n☐ sleep ⚠️ overdue" in week
    assert "Last session\nTue Nov 10 · next Fri Nov 20 (5 days ago)" in week
    for wrong in ("/review", "/review solo1 year", "/review solo1 week extra"):
        assert "Say whom, and optionally the period" in (await kim.ask(wrong)).shown_text, wrong
