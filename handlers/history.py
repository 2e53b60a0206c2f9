"""/today, /week and /history: what was logged, read back in the person's units and time zone.

The numbers come from fitness_core.services.reports; this module only writes
them out as HTML (with everything people typed escaped). History pages turn
with Prev/Next buttons whose callback data ("hist:meals:2") names the page, so a
press edits the message in place and needs no state kept between updates.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from fitness_core import formatting
from fitness_core.services import reports
from fitness_core.services.accounts import Member
from fitness_core.services.reports import (
    DayReport,
    Exercise,
    HistoryEntry,
    HistoryKind,
    HistoryPage,
    Intake,
    Meal,
    Metrics,
    WeekReport,
    WeighIn,
    Workout,
    WorkoutSummary,
)
from fitness_core.units import UnitSystem
from handlers.common import Reply, as_member, command_text, escape, runtime

CALLBACK_PREFIX = "hist"
# Room for a page's entries, in UTF-16 code units as Telegram counts them; the header
# adds under a hundred, so a page stays well under the 4096 a message may hold.
PAGE_BUDGET = 3500
SEPARATOR = " · "
TAG = re.compile(r"<[^>]*>")

EXAMPLES = {
    HistoryKind.WEIGHT: "weight 182",
    HistoryKind.WORKOUTS: "bench 3x5 @ 185",
    HistoryKind.MEALS: "lunch chicken salad 450 kcal 40p",
}
ENTRY_NOUNS = {HistoryKind.WEIGHT: "weigh-in", HistoryKind.WORKOUTS: "workout", HistoryKind.MEALS: "meal"}
KINDS_HELP = "Ask for one of: " + ", ".join(f"/history {kind}" for kind in HistoryKind) + "."


def _joined(*parts: object) -> str:
    """The parts that are there, with the usual separator: a falsy part (`value and text`) is left out."""
    return SEPARATOR.join(str(part) for part in parts if part)


def _telegram_length(markup: str) -> int:
    """The length Telegram holds against its limit: the text as shown (no tags, entities decoded) in UTF-16 units.

    Every "<" that is not one of our tags was escaped, so removing tags cannot eat user text.
    """
    shown = html.unescape(TAG.sub("", markup))
    return len(shown.encode("utf-16-le")) // 2


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def _label(value: str) -> str:
    return value.replace("_", " ")


# --- one day -------------------------------------------------------------------------------------


def _metrics_lines(metrics: Metrics, units: UnitSystem) -> list[str]:
    m = metrics
    lines = [
        _joined(
            m.weight_lbs and f"weight {formatting.weight(m.weight_lbs, units)}",
            m.body_fat_percentage and formatting.body_fat(m.body_fat_percentage),
            m.muscle_mass_lbs and f"muscle {formatting.weight(m.muscle_mass_lbs, units)}",
            m.bmi and f"BMI {formatting.number(m.bmi)}",
        ),
        _joined(*(f"{name} {formatting.length(inches, units)}" for name, inches in m.lengths)),
        _joined(
            m.resting_heart_rate and f"resting HR {m.resting_heart_rate} bpm",
            m.blood_pressure and f"BP {m.blood_pressure}",
        ),
        _joined(*(f"{name} {score}/10" for name, score in m.wellness)),
        m.notes and f"<i>{escape(m.notes)}</i>",
    ]
    return [line for line in lines if line]


def _exercise_line(exercise: Exercise, units: UnitSystem) -> str:
    """ "Bench Press 3×5 @ 185 lb", "Plank 3×45 s", "Run 3.10 mi · 27:30 · 8:52 /mi"."""
    e = exercise
    held = e.reps is None and e.sets is not None and e.duration_seconds is not None and e.distance_miles is None
    if e.reps is not None:
        work = f"{e.sets}×{e.reps}" if e.sets else f"{e.reps} reps"
        work += f" @ {formatting.load(e.weight_lbs, units)}" if e.weight_lbs else ""
    elif held:
        work = f"{e.sets}×{formatting.duration(e.duration_seconds)}"
    else:
        work = f"{e.sets} sets" if e.sets else None
    cardio = _joined(
        e.distance_miles and formatting.distance(e.distance_miles, units),
        not held and e.duration_seconds and formatting.duration(e.duration_seconds),
        e.distance_miles and e.duration_seconds and formatting.pace(e.duration_seconds, e.distance_miles, units),
    )
    return f"{escape(e.name)} {_joined(work, cardio)}".rstrip()


def _totals(sets: int, volume_lbs: float, units: UnitSystem) -> str:
    return _joined(sets and f"{sets} sets", volume_lbs and f"volume {formatting.volume(volume_lbs, units)}")


def _workout_lines(workout: Workout, units: UnitSystem) -> list[str]:
    duration = workout.duration_minutes and f"{workout.duration_minutes} min"
    lines = [_joined("<b>Workout</b>", _label(workout.session_type), duration)]
    lines += [f"• {_exercise_line(exercise, units)}" for exercise in workout.exercises]
    totals = _totals(workout.total_sets, workout.total_volume_lbs, units)
    if totals:
        lines.append(f"Total: {totals}")
    if workout.notes:
        lines.append(f"<i>{escape(workout.notes)}</i>")
    return lines


def _meal_line(meal: Meal, units: UnitSystem) -> str:
    """ "12:30 lunch · chicken salad · 450 kcal · P 40 g · C 20 g · F 15 g"."""
    when = f"{meal.time:%H:%M} " if meal.time else ""
    return _joined(
        when + _label(meal.meal_type),
        meal.description and escape(meal.description),
        meal.calories is not None and formatting.calories(meal.calories),
        meal.protein_g is not None and f"P {formatting.grams(meal.protein_g)}",
        meal.carbs_g is not None and f"C {formatting.grams(meal.carbs_g)}",
        meal.fat_g is not None and f"F {formatting.grams(meal.fat_g)}",
        meal.water_oz and f"water {formatting.water(meal.water_oz, units)}",
    )


def _intake_line(intake: Intake, units: UnitSystem) -> str:
    return "Total: " + _joined(
        formatting.calories(intake.calories),
        f"protein {formatting.grams(intake.protein_g)}",
        f"carbs {formatting.grams(intake.carbs_g)}",
        f"fat {formatting.grams(intake.fat_g)}",
        intake.water_oz and f"water {formatting.water(intake.water_oz, units)}",
    )


def render_day(report: DayReport, units: UnitSystem) -> str:
    title = f"<b>Today, {report.day:%a %b %-d}</b>"
    if report.is_empty:
        examples = ", ".join(f"<code>{example}</code>" for example in EXAMPLES.values())
        return f"{title}\nNothing logged yet. Tell me, e.g. {examples}."
    blocks = [[title]]
    if report.metrics is not None:
        blocks.append(["<b>Body</b>", *_metrics_lines(report.metrics, units)])
    blocks += [_workout_lines(workout, units) for workout in report.workouts]
    if report.meals:
        meals = [f"• {_meal_line(meal, units)}" for meal in report.meals]
        blocks.append(["<b>Meals</b>", *meals, _intake_line(report.intake, units)])
    return "\n\n".join("\n".join(block) for block in blocks)


# --- seven days ----------------------------------------------------------------------------------


def _summary_line(workout: WorkoutSummary, units: UnitSystem, today: dt.date) -> str:
    """A session in one line, for the week and the workout history."""
    return _joined(
        formatting.day(workout.day, today),
        _label(workout.session_type),
        workout.duration_minutes and f"{workout.duration_minutes} min",
        escape(", ".join(workout.exercise_names)),
        _totals(workout.sets, workout.volume_lbs, units),
        workout.distance_miles and formatting.distance(workout.distance_miles, units),
    )


def _weight_trend(report: WeekReport, units: UnitSystem) -> str:
    trend = report.weight
    if trend is None:
        return "<b>Weight</b>: no weigh-ins. Send e.g. <code>weight 182</code>."
    first, last = trend.first, trend.last
    if trend.count == 1:
        return f"<b>Weight</b>: {formatting.weight(last.weight_lbs, units)} (one weigh-in)"
    return (
        f"<b>Weight</b>: {formatting.weight(first.weight_lbs, units)} → {formatting.weight(last.weight_lbs, units)} "
        f"({formatting.weight_change(trend.change_lbs, units)}) over {trend.count} weigh-ins, "
        f"low {formatting.weight(trend.lowest_lbs, units)}, high {formatting.weight(trend.highest_lbs, units)}"
    )


def _week_workouts(report: WeekReport, units: UnitSystem) -> list[str]:
    if not report.workouts:
        return ["<b>Workouts</b>: none logged."]
    head = _joined(_count(len(report.workouts), "workout"), _totals(report.total_sets, report.total_volume_lbs, units))
    return [f"<b>Workouts</b>: {head}"] + [
        f"• {_summary_line(workout, units, report.last_day)}" for workout in report.workouts
    ]


def _week_nutrition(report: WeekReport) -> str:
    average = report.nutrition
    if average is None:
        return "<b>Meals</b>: none logged."
    return (
        f"<b>Meals</b>: {formatting.calories(average.calories)} and {formatting.grams(average.protein_g)} protein "
        f"a day on average, over {_count(average.days, 'day')} with meals logged."
    )


def render_week(report: WeekReport, units: UnitSystem) -> str:
    title = f"<b>Last 7 days</b>, {report.first_day:%a %b %-d} to {report.last_day:%a %b %-d}"
    lines = [title, "", _weight_trend(report, units), "", *_week_workouts(report, units), "", _week_nutrition(report)]
    return "\n".join(lines)


# --- history -------------------------------------------------------------------------------------


def _entry_line(entry: HistoryEntry, units: UnitSystem, today: dt.date) -> str:
    match entry:
        case WeighIn():
            change = entry.change_lbs is not None and f"({formatting.weight_change(entry.change_lbs, units)})"
            weight = " ".join(filter(None, [formatting.weight(entry.weight_lbs, units), change]))
            body_fat = entry.body_fat_percentage and formatting.body_fat(entry.body_fat_percentage)
            return _joined(formatting.day(entry.day, today), weight, body_fat)
        case WorkoutSummary():
            return _summary_line(entry, units, today)
        case Meal():
            return _joined(formatting.day(entry.day, today), _meal_line(entry, units))


def render_history(page: HistoryPage, units: UnitSystem, today: dt.date) -> Reply:
    noun = ENTRY_NOUNS[page.kind]
    if page.total == 0:
        return Reply(f"No {noun}s yet. Log one by sending e.g. <code>{EXAMPLES[page.kind]}</code>.")
    header = f"<b>{page.kind.capitalize()} history</b>, page {page.number} of {page.pages} ({_count(page.total, noun)})"
    lines = [_entry_line(entry, units, today) for entry in page.entries]
    buttons = [
        (label, f"{CALLBACK_PREFIX}:{page.kind}:{number}")
        for label, number, shown in (
            ("Prev", page.number - 1, page.has_previous),
            ("Next", page.number + 1, page.has_next),
        )
        if shown
    ]
    return Reply("\n".join([header, "", *lines]), [buttons] if buttons else ())


async def _history_reply(
    session: AsyncSession, member: Member, kind: HistoryKind, number: int, today: dt.date
) -> Reply:
    def size(entry: HistoryEntry) -> int:
        return _telegram_length(_entry_line(entry, member.units, today)) + 1  # and its newline

    page = await reports.history_page(session, member, kind, number, size=size, budget=PAGE_BUDGET)
    return render_history(page, member.units, today)


# --- handlers ------------------------------------------------------------------------------------


def messages(text: str) -> list[str]:
    """A report in as many messages as it needs, cut only between lines: a busy day is never cut off."""
    lines = text.split("\n")
    pieces = reports.paginate(lines, lambda line: _telegram_length(line) + 1, per_page=len(lines), budget=PAGE_BUDGET)
    return ["\n".join(piece).strip("\n") for piece in pieces]


def _report_command(build, render):
    """A command that builds a report for the person's local today and writes it out (/today, /week)."""

    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        clock = runtime(context).clock

        async def work(session: AsyncSession, member: Member) -> list[Reply]:
            report = await build(session, member, member.today(clock()))
            return [Reply(piece) for piece in messages(render(report, member.units))]

        await as_member(update, context, work)

    return handler


async def _show_history(update: Update, context: ContextTypes.DEFAULT_TYPE, kind_word: str, number: int) -> None:
    clock = runtime(context).clock

    async def work(session: AsyncSession, member: Member) -> Reply:
        kind = reports.history_kind(kind_word)
        if kind is None:
            return Reply(f"I don't keep a “{escape(kind_word[:40])}” history. {KINDS_HELP}")
        return await _history_reply(session, member, kind, number, member.today(clock()))

    await as_member(update, context, work)


async def history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _show_history(update, context, command_text(update) or HistoryKind.WEIGHT, 1)


async def turn_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A Prev/Next press, "hist:<kind>:<page>"; a forged or mangled one gets the list of kinds or page 1."""
    _, _, rest = update.callback_query.data.partition(":")
    kind_word, _, number = rest.partition(":")
    await _show_history(update, context, kind_word, int(number) if number.isdigit() else 1)


HANDLERS = [
    CommandHandler("today", _report_command(reports.day_report, render_day)),
    CommandHandler("week", _report_command(reports.week_report, render_week)),
    CommandHandler("history", history),
    CallbackQueryHandler(turn_page, pattern=rf"^{CALLBACK_PREFIX}:"),
]

COMMANDS = [
    ("today", "Everything logged today, with totals"),
    ("week", "The last 7 days: weight trend, workouts, averages"),
    ("history", "weight, workouts or meals, page by page"),
]
