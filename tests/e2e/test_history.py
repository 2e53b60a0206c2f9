"""Reading back end to end: /today, /week and /history through the real Application.

Rows are inserted with SQL as a superuser (not through the chat logger), so
these tests depend only on the reports and their rendering.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text

from bot.local_api.records import RecordedMessage
from fitness_core import formatting
from handlers.common import NOT_LINKED
from tests.e2e.harness import Harness

TODAY = dt.date(2026, 11, 25)  # the harness clock's date in UTC
YESTERDAY = TODAY - dt.timedelta(days=1)


def insert(bot: Harness, table: str, **values) -> int:
    columns = ", ".join(values)
    placeholders = ", ".join(f":{name}" for name in values)
    with bot.admin.begin() as conn:
        return conn.execute(
            text(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING id"), values
        ).scalar()


def workout(bot: Harness, user_id: int, day: dt.date, *exercises: dict, **session) -> int:
    """A session and its exercises, in the order given."""
    session = {"session_type": "strength", **session}  # the schema has no default
    session_id = insert(bot, "workout_sessions", user_id=user_id, session_date=day, **session)
    for index, exercise in enumerate(exercises):
        insert(bot, "exercise_logs", workout_session_id=session_id, order_index=index, **exercise)
    return session_id


def meal(bot: Harness, user_id: int, day: dt.date, **values) -> int:
    values = {"meal_type": "other", **values}  # the schema has no default
    return insert(bot, "meal_logs", user_id=user_id, meal_date=day, **values)


def weigh_in(bot: Harness, user_id: int, day: dt.date, lbs: float, **values) -> int:
    return insert(bot, "health_metrics", user_id=user_id, recorded_date=day, weight_lbs=lbs, **values)


def bench(sets: int = 3, reps: int = 5, lbs: float = 185) -> dict:
    return {"exercise_name": "Bench Press", "sets": sets, "reps": reps, "weight_lbs": lbs}


async def registered(bot: Harness, user_id: int, name: str):
    person = bot.person(user_id)
    await person.register(name)
    return person, person.account_id


@dataclass(frozen=True)
class Page:
    """A history message as it was at one moment (the recorded message changes with every edit)."""

    message_id: int
    text: str
    buttons: tuple[str, ...]

    @classmethod
    def of(cls, message: RecordedMessage) -> Page:
        return cls(message.message_id, message.shown_text, tuple(b["text"] for b in message.buttons))

    @property
    def entries(self) -> list[str]:
        """Everything after the header and its blank line."""
        return self.text.split("\n")[2:]


async def all_pages(person, first: RecordedMessage) -> list[Page]:
    """Every page of a history, pressing Next from the first until there is no Next."""
    pages = [Page.of(first)]
    while "Next" in pages[-1].buttons:
        pages.append(Page.of(await person.press("Next")))
    return pages


async def test_today_shows_metrics_workouts_and_meal_totals(bot):
    sam, sam_id = await registered(bot, 601, "sam")
    _, other_id = await registered(bot, 602, "other")
    weigh_in(
        bot,
        sam_id,
        TODAY,
        182.4,
        body_fat_percentage=18.5,
        waist_inches=32,
        resting_heart_rate=58,
        blood_pressure_systolic=120,
        blood_pressure_diastolic=80,
        energy_level=7,
        notes="<felt great>",
    )
    plank = {"exercise_name": "Plank", "sets": 3, "duration_seconds": 45}
    workout(bot, sam_id, TODAY, bench(), plank, session_type="strength", duration_minutes=45, notes="new PR & easy")
    run = {"exercise_name": "Run", "distance_miles": 3.1, "duration_seconds": 1650}
    workout(bot, sam_id, TODAY, run, session_type="cardio")
    meal(
        bot,
        sam_id,
        TODAY,
        meal_type="lunch",
        meal_time=dt.time(12, 30),
        description="Chicken <salad>",
        calories=450,
        protein_g=40,
        carbs_g=20,
        fat_g=15,
    )
    meal(
        bot,
        sam_id,
        TODAY,
        meal_type="breakfast",
        meal_time=dt.time(8),
        description="Oats & berries",
        calories=350,
        protein_g=20,
        carbs_g=50,
        fat_g=8,
    )
    meal(bot, sam_id, TODAY, description="water", water_oz=16)
    # Neither yesterday's rows nor another person's may show.
    weigh_in(bot, sam_id, YESTERDAY, 190)
    workout(bot, sam_id, YESTERDAY, {"exercise_name": "Deadlift", "sets": 1, "reps": 5, "weight_lbs": 315})
    meal(bot, sam_id, YESTERDAY, description="pizza", calories=999)
    weigh_in(bot, other_id, TODAY, 150)
    workout(bot, other_id, TODAY, {"exercise_name": "Squat", "sets": 5, "reps": 5, "weight_lbs": 225})
    meal(bot, other_id, TODAY, description="cake", calories=1234, protein_g=5)

    reply = await sam.ask("/today")
    shown = reply.shown_text

    assert shown.startswith("Today, Wed Nov 25")
    for expected in (
        "weight 182.4 lb · 18.5% body fat",
        "waist 32.0 in",
        "resting HR 58 bpm · BP 120/80",
        "energy 7/10",
        "<felt great>",
        "Workout · strength · 45 min",
        "• Bench Press 3×5 @ 185 lb",
        "• Plank 3×45 s",
        "Total: 6 sets · volume 2,775 lb",
        "new PR & easy",
        "Workout · cardio",
        "• Run 3.10 mi · 27:30 · 8:52 /mi",
        "• 08:00 breakfast · Oats & berries · 350 kcal · P 20 g · C 50 g · F 8 g",
        "• 12:30 lunch · Chicken <salad> · 450 kcal · P 40 g · C 20 g · F 15 g",
        "Total: 800 kcal · protein 60 g · carbs 70 g · fat 23 g · water 16.0 oz",
    ):
        assert expected in shown, expected
    assert shown.index("breakfast") < shown.index("lunch")  # a day reads in eating order
    for absent in ("190", "Deadlift", "pizza", "999", "150", "Squat", "cake", "1,234"):
        assert absent not in shown, absent
    assert "Chicken &lt;salad&gt;" in reply.text and "&lt;felt great&gt;" in reply.text  # escaped HTML


async def test_today_with_nothing_logged_and_without_an_account(bot):
    sam, _ = await registered(bot, 603, "quiet")
    reply = await sam.ask("/today")
    assert "Nothing logged yet" in reply.shown_text and "weight 182" in reply.shown_text
    assert (await bot.person(604).ask("/today")).text == NOT_LINKED


async def test_week_shows_weight_change_workouts_and_daily_averages(bot):
    sam, sam_id = await registered(bot, 611, "weekly")
    _, other_id = await registered(bot, 612, "neighbour")
    before_window = TODAY - dt.timedelta(days=7)

    def day(offset: int) -> dt.date:
        return TODAY - dt.timedelta(days=offset)

    for offset, lbs in ((7, 200), (6, 184.0), (4, 184.6), (2, 182.8), (0, 182.0)):
        weigh_in(bot, sam_id, day(offset), lbs)
    weigh_in(bot, other_id, TODAY, 150)
    workout(bot, sam_id, before_window, bench(), session_type="strength")
    workout(bot, sam_id, day(5), bench(), session_type="strength")
    workout(
        bot,
        sam_id,
        day(3),
        {"exercise_name": "Run", "distance_miles": 3.1, "duration_seconds": 1650},
        session_type="cardio",
    )
    workout(
        bot,
        sam_id,
        day(1),
        {"exercise_name": "Squat", "sets": 5, "reps": 5, "weight_lbs": 225},
        session_type="strength",
    )
    workout(bot, other_id, TODAY, bench(), session_type="strength")
    meal(bot, sam_id, before_window, calories=5000, protein_g=300)
    meal(bot, sam_id, day(5), calories=1200, protein_g=90)
    meal(bot, sam_id, day(5), calories=800, protein_g=60)
    meal(bot, sam_id, day(4), calories=2500, protein_g=120)
    meal(bot, sam_id, day(2), description="water", water_oz=20)  # drinking only: not a day of eating
    meal(bot, sam_id, day(1), calories=1800, protein_g=135)
    meal(bot, other_id, TODAY, calories=9000, protein_g=900)

    shown = (await sam.ask("/week")).shown_text

    assert shown.startswith("Last 7 days, Thu Nov 19 to Wed Nov 25")
    assert "Weight: 184.0 lb → 182.0 lb (-2.0 lb) over 4 weigh-ins, low 182.0 lb, high 184.6 lb" in shown
    assert "Workouts: 3 workouts · 8 sets · volume 8,400 lb" in shown
    assert "• yesterday · strength · Squat · 5 sets · volume 5,625 lb" in shown
    assert "• Sun Nov 22 · cardio · Run · 3.10 mi" in shown
    assert "• Fri Nov 20 · strength · Bench Press · 3 sets · volume 2,775 lb" in shown
    assert "Meals: 2,100 kcal and 135 g protein a day on average, over 3 days with meals logged." in shown
    assert "200" not in shown and "150" not in shown


async def test_week_with_nothing_logged(bot):
    sam, _ = await registered(bot, 613, "idle")
    shown = (await sam.ask("/week")).shown_text
    assert "Weight: no weigh-ins" in shown and "Workouts: none logged." in shown and "Meals: none logged." in shown


async def test_weight_history_pages_with_prev_and_next_and_shows_every_day_once(bot):
    sam, sam_id = await registered(bot, 621, "pager")
    days = [TODAY - dt.timedelta(days=n) for n in range(25)]  # newest first
    for n, day in enumerate(days):
        weigh_in(bot, sam_id, day, 176 + n * 0.5)

    message = await sam.ask("/history")
    assert message.buttons[0]["callback_data"] == "hist:weight:2"
    first = Page.of(message)
    assert "Weight history, page 1 of 3 (25 weigh-ins)" in first.text
    assert first.buttons == ("Next",)
    assert first.entries[:2] == ["today · 176.0 lb (-0.5 lb)", "yesterday · 176.5 lb (-0.5 lb)"]

    second = Page.of(await sam.press("Next"))
    assert second.message_id == first.message_id and message.edited  # edited in place, no new message
    assert "page 2 of 3" in second.text and second.buttons == ("Prev", "Next")
    back = Page.of(await sam.press("Prev"))
    assert back == first

    pages = await all_pages(sam, message)
    assert [f"page {n} of 3" in page.text for n, page in enumerate(pages, 1)] == [True] * 3
    assert pages[-1].buttons == ("Prev",)
    shown_days = [line.split(" · ")[0] for page in pages for line in page.entries]
    assert shown_days == [formatting.day(day, TODAY) for day in days]  # all 25, once each, newest first
    assert len(bot.api.bot_messages(sam.chat_id)) == 2  # the welcome and the one history message


async def test_long_meal_descriptions_make_shorter_pages_but_nothing_is_cut(bot):
    sam, sam_id = await registered(bot, 631, "glutton")
    names = [f"meal-{n:02d}" for n in range(30)]
    for n, name in enumerate(names):
        description = f"{name} " + " ".join(["🥗 salad & <dressing>"] * 30)  # emoji count twice for Telegram
        meal(bot, sam_id, TODAY - dt.timedelta(days=n), meal_type="lunch", description=description, calories=500)

    pages = await all_pages(sam, await sam.ask("/history meals"))

    assert len(pages) > 3  # 30 meals do not fit 10 to a page
    for page in pages:
        assert len(page.text.encode("utf-16-le")) // 2 < 4096
        assert f"of {len(pages)} (30 meals)" in page.text
    shown = [line for page in pages for line in page.entries]
    assert [next(name for name in names if name in line) for line in shown] == names
    assert all(line.endswith("🥗 salad & <dressing> · 500 kcal") for line in shown)  # never cut off


async def test_workout_and_meal_history_empty_and_unknown_kinds(bot):
    sam, sam_id = await registered(bot, 641, "kinds")
    assert "No meals yet" in (await sam.ask("/history meals")).shown_text
    empty = await sam.ask("/history workouts")
    assert "No workouts yet" in empty.shown_text and "bench 3x5 @ 185" in empty.shown_text and not empty.buttons
    workout(
        bot,
        sam_id,
        YESTERDAY,
        bench(),
        {"exercise_name": "Row <cable>", "sets": 3, "reps": 10, "weight_lbs": 100},
        duration_minutes=50,
    )

    reply = await sam.ask("/history workout")
    assert "Workouts history, page 1 of 1 (1 workout)" in reply.shown_text
    assert Page.of(reply).entries == [
        "yesterday · strength · 50 min · Bench Press, Row <cable> · 6 sets · volume 5,775 lb"
    ]
    assert not reply.buttons

    unknown = (await sam.ask("/history steps")).shown_text
    assert "I don't keep a “steps” history" in unknown
    assert all(f"/history {kind}" in unknown for kind in ("weight", "workouts", "meals"))


async def test_metric_person_reads_kilograms_and_kilometres(bot):
    ana, ana_id = await registered(bot, 651, "metric")
    await ana.ask("/units metric")
    weigh_in(bot, ana_id, TODAY, 176.37, waist_inches=31.5)
    run = {"exercise_name": "Run", "distance_miles": 3.107, "duration_seconds": 1500}
    workout(bot, ana_id, TODAY, bench(lbs=220.5), run)
    meal(bot, ana_id, TODAY, description="water", water_oz=16.9)

    today = (await ana.ask("/today")).shown_text
    assert "weight 80.0 kg" in today and "waist 80.0 cm" in today
    assert "Bench Press 3×5 @ 100 kg" in today and "volume 1,500 kg" in today
    assert "Run 5.00 km · 25:00 · 5:00 /km" in today
    assert "water 500 ml" in today
    assert " lb" not in today and " mi" not in today
    assert "today · 80.0 kg" in (await ana.ask("/history weight")).shown_text
    assert "volume 1,500 kg · 5.00 km" in (await ana.ask("/week")).shown_text


async def test_today_is_the_persons_local_date(bot):
    sam, sam_id = await registered(bot, 661, "pacific")
    await sam.ask("/tz America/Los_Angeles")
    bot.clock.advance(hours=9)  # 2026-11-26 02:00 UTC is still Nov 25, 18:00 in Los Angeles
    meal(bot, sam_id, TODAY, description="local dinner", calories=700)
    meal(bot, sam_id, TODAY + dt.timedelta(days=1), description="tomorrow's breakfast", calories=300)

    shown = (await sam.ask("/today")).shown_text
    assert shown.startswith("Today, Wed Nov 25")
    assert "local dinner" in shown and "breakfast" not in shown

    bot.clock.advance(hours=8)  # 10:00 UTC is 02:00 on Nov 26 in Los Angeles
    shown = (await sam.ask("/today")).shown_text
    assert shown.startswith("Today, Thu Nov 26") and "tomorrow's breakfast" in shown


async def test_reports_cost_the_same_statements_however_much_was_logged(bot):
    sam, sam_id = await registered(bot, 671, "counted")

    async def statements(command: str) -> int:
        with bot.counting_statements() as seen:
            await sam.ask(command)
        return len(seen)

    commands = ("/today", "/week", "/history workouts", "/history meals", "/history weight")
    await sam.ask("/me")  # the first message after linking also looks up the link itself
    workout(bot, sam_id, TODAY, bench())
    meal(bot, sam_id, TODAY, calories=100)
    weigh_in(bot, sam_id, TODAY, 180)
    few = [await statements(command) for command in commands]
    for n in range(1, 6):
        workout(bot, sam_id, TODAY - dt.timedelta(days=n), bench(), bench(sets=5))
        workout(bot, sam_id, TODAY, bench(), bench(sets=5))
        meal(bot, sam_id, TODAY - dt.timedelta(days=n), calories=100)
        weigh_in(bot, sam_id, TODAY - dt.timedelta(days=n), 180 + n)
    assert [await statements(command) for command in commands] == few


async def test_commands_are_published(bot):
    names = {c["command"] for c in bot.api.commands()}
    assert {"today", "week", "history"} <= names


async def test_a_busy_day_comes_in_several_messages_and_nothing_is_cut(bot):
    sam, sam_id = await registered(bot, 650, "sam")
    for number in range(120):
        meal(
            bot,
            sam_id,
            TODAY,
            meal_type="snack",
            description=f"snack number {number} with a long description",
            calories=100,
        )
    replies = await sam.say("/today")
    assert len(replies) > 1
    assert all(len(reply.text) <= 4096 for reply in replies)
    shown = "\n".join(reply.text for reply in replies)
    assert all(f"snack number {number} with" in shown for number in range(120))
    assert replies[-1].text.splitlines()[-1].startswith(f"Total: {formatting.calories(12000)}")
