"""Numbers and dates as a person reads them: in their units and their time zone.

Storage is always pounds, inches, miles and fluid ounces; these functions are
the one place that turns stored values into display text, so every reply, the
console and the reports agree.
"""

from __future__ import annotations

import datetime as dt

from fitness_core.units import UnitSystem, in_to_cm, lb_to_kg, mi_to_km, oz_to_ml

_METRIC = {"lb": (lb_to_kg, "kg"), "in": (in_to_cm, "cm"), "mi": (mi_to_km, "km"), "oz": (oz_to_ml, "ml")}
"""Storage unit -> (conversion, the unit metric people read)."""


def _converted(value: float, unit: str, units: UnitSystem) -> tuple[float, str]:
    """A stored value in its storage unit, as the person reads it: (82.6, "kg") or (182.0, "lb")."""
    if units is UnitSystem.METRIC:
        convert, metric_unit = _METRIC[unit]
        return convert(value), metric_unit
    return value, unit


def weight(lbs: float, units: UnitSystem) -> str:
    value, unit = _converted(lbs, "lb", units)
    return f"{value:.1f} {unit}"


def load(lbs: float, units: UnitSystem) -> str:
    """A lifted weight: whole numbers stay whole ("185 lb", "100 kg")."""
    value, unit = _converted(lbs, "lb", units)
    return f"{number(value)} {unit}"


def length(inches: float, units: UnitSystem) -> str:
    value, unit = _converted(inches, "in", units)
    return f"{value:.1f} {unit}"


def distance(miles: float, units: UnitSystem) -> str:
    value, unit = _converted(miles, "mi", units)
    return f"{value:.2f} {unit}"


def water(oz: float, units: UnitSystem) -> str:
    """Millilitres whole ("473 ml"), ounces to a tenth ("16.0 oz")."""
    value, unit = _converted(oz, "oz", units)
    return f"{value:.0f} {unit}" if unit == "ml" else f"{value:.1f} {unit}"


def clock(seconds: int) -> str:
    """1710 -> "28:30", 3750 -> "1:02:30": how people write race and workout times."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration(seconds: int) -> str:
    """27:30, 1:05:00, or 45 s for short holds."""
    return f"{seconds} s" if seconds < 60 else clock(seconds)


def pace(seconds: int, miles: float, units: UnitSystem) -> str:
    """ "9:12 /mi", or "5:43 /km" for metric people."""
    per_unit = seconds / (mi_to_km(miles) if units is UnitSystem.METRIC else miles)
    return f"{clock(round(per_unit))} /{'km' if units is UnitSystem.METRIC else 'mi'}"


def day(value: dt.date, today: dt.date) -> str:
    if value == today:
        return "today"
    if value == today - dt.timedelta(days=1):
        return "yesterday"
    if value.year == today.year:
        return value.strftime("%a %b %-d")
    return value.strftime("%a %b %-d %Y")


def number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def volume(lbs: float, units: UnitSystem) -> str:
    """Total weight moved in a session or week: big whole numbers with separators ("2,775 lb")."""
    value, unit = _converted(lbs, "lb", units)
    return f"{round(value):,} {unit}"


def weight_change(lbs: float, units: UnitSystem) -> str:
    """A signed body-weight difference: "-1.5 lb", "+0.7 kg" ("+0.0", never "-0.0", for no change)."""
    value, unit = _converted(lbs, "lb", units)
    return f"{round(value, 1) + 0.0:+.1f} {unit}"


def calories(kcal: float) -> str:
    return f"{round(kcal):,} kcal"


def grams(value: float) -> str:
    return f"{number(value)} g"


def body_fat(percentage: float) -> str:
    """ "18% body fat", "18.5% body fat": whole percentages stay whole."""
    return f"{number(percentage)}% body fat"


# --------------------------------------------------------------------------- what a chat log saved
# Rows as the journal service reports them: column -> stored value (JSON-safe,
# storage units). Plain text; the bot escapes it for HTML.

_FIELD_LABELS = {
    "weight_lbs": "weight",
    "body_fat_percentage": "body fat",
    "muscle_mass_lbs": "muscle mass",
    "bmi": "BMI",
    "resting_heart_rate": "resting HR",
    "energy_level": "energy",
    "sleep_quality": "sleep",
    "stress_level": "stress",
    "notes": "note",
    "duration_minutes": "duration",
    "session_type": "type",
    "program_phase": "phase",
    "week_number": "week",
    "day_number": "day",
    "form_quality": "form",
    "rest_seconds": "rest",
    "rpe": "RPE",
    "duration_seconds": "time",
    "distance_miles": "distance",
    "exercise_name": "exercise",
    "calories": "",
    "adherence_to_plan": "",
    "meal_time": "at",
    "meal_type": "meal",
    "water_oz": "water",
    "sodium_mg": "sodium",
}
_SCALE_FIELDS = frozenset(
    {
        "energy_level",
        "mood",
        "sleep_quality",
        "stress_level",
        "intensity",
        "fatigue",
        "soreness",
        "form_quality",
        "satisfaction",
        "hunger_before",
        "hunger_after",
    }
)
_PRESSURE = ("blood_pressure_systolic", "blood_pressure_diastolic")


def field_label(column: str) -> str:
    """How a person calls a column: "weight", "left arm", "body fat"."""
    return _FIELD_LABELS.get(column, column.removesuffix("_inches").removesuffix("_g").replace("_", " "))


def _split(text: str) -> tuple[str, str]:
    value, _, unit = text.partition(" ")
    return value, f" {unit}" if unit else ""


def field_amount(column: str, value: object, units: UnitSystem) -> tuple[str, str]:
    """A stored value as (number, unit) in the person's units: ("82.5", " kg"), ("7", "/10"), ("18.0", "%")."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
        if column == "meal_time":
            return text[:5], ""
        return (f"“{text}”", "") if column == "notes" else (text.replace("_", " "), "")
    by_unit = {
        "_lbs": lambda: _split(weight(value, units)),
        "_inches": lambda: _split(length(value, units)),
        "_g": lambda: (number(value), " g"),
        "_mg": lambda: (number(value), " mg"),
    }
    for suffix, convert in by_unit.items():
        if column.endswith(suffix):
            return convert()
    if column in _SCALE_FIELDS:
        return number(value), "/10"
    special = {
        "body_fat_percentage": lambda: (f"{value:.1f}", "%"),
        "resting_heart_rate": lambda: (number(value), " bpm"),
        "duration_minutes": lambda: (number(value), " min"),
        "duration_seconds": lambda: (duration(int(value)), ""),
        "rest_seconds": lambda: (duration(int(value)), ""),
        "distance_miles": lambda: _split(distance(value, units)),
        "water_oz": lambda: _split(water(value, units)),
        "calories": lambda: (number(value), " kcal"),
    }
    return special[column]() if column in special else (number(value), "")


def field(column: str, value: object, units: UnitSystem, previous: object = None) -> str:
    """ "weight 182.0 lb", or with the value it replaced, "weight 182.0 lb (was 183.4)"."""
    amount, unit = field_amount(column, value, units)
    text = f"{field_label(column)} {amount}{unit}".strip()
    if previous is not None:
        text += f" (was {field_amount(column, previous, units)[0]})"
    return text


def _with_pressure(values: dict) -> dict:
    """Blood pressure reads as one field, "120/80"."""
    if all(values.get(column) is not None for column in _PRESSURE):
        shown = "/".join(str(round(values.pop(column))) for column in _PRESSURE)
        values["blood pressure"] = shown
    return values


def fields(values: dict, previous: dict, units: UnitSystem, skip: tuple[str, ...] = ()) -> list[str]:
    """Each given value as `field` shows it, blood pressure as one."""
    shown, was = _with_pressure(dict(values)), _with_pressure(dict(previous))
    if "blood pressure" in shown and "blood pressure" not in was and any(c in previous for c in _PRESSURE):
        was["blood pressure"] = None
    return [
        field(column, value, units, was.get(column))
        for column, value in shown.items()
        if value is not None and column not in skip
    ]


def exercise(values: dict, units: UnitSystem) -> str:
    """ "Barbell Squat 5x5 @ 100 kg RPE 8", "Running, Treadmill 3.10 mi in 28:30 (9:12 /mi)"."""
    sets, reps = values.get("sets"), values.get("reps")
    seconds, miles, lbs = values.get("duration_seconds"), values.get("distance_miles"), values.get("weight_lbs")
    parts = [str(values.get("exercise_name") or "exercise")]
    if sets and (reps or seconds):
        parts.append(f"{sets}x{reps if reps else duration(int(seconds))}")
    elif reps or sets:
        parts.append(f"{reps} reps" if reps else f"{sets} sets")
    if lbs is not None:
        parts.append(f"@ {load(lbs, units)}")
    if miles:
        parts.append(distance(miles, units))
    if seconds and not (sets and not reps):
        parts.append(("in " if miles else "") + duration(int(seconds)))
        if miles:
            parts.append(f"({pace(int(seconds), miles, units)})")
    if values.get("rpe") is not None:
        parts.append(f"RPE {number(values['rpe'])}")
    parts.extend(
        field(column, values[column], units) for column in ("form_quality", "rest_seconds") if values.get(column)
    )
    if values.get("notes"):
        parts.append(f"— {values['notes']}")
    return " ".join(parts)


def meal(values: dict, units: UnitSystem) -> str:
    """ "lunch: chicken salad, 450 kcal, protein 40 g", "dinner: 700 kcal, off plan", "water 473 ml"."""
    kind = str(values.get("meal_type") or "other").replace("_", " ")
    rest = fields(values, {}, units, skip=("meal_type", "description"))
    if kind == "other":
        kind = "meal" if values.get("description") or len(rest) != 1 else ""
    description = values.get("description")
    head = f"{kind}: {description}" if description else kind
    if not rest or not head:
        return head or ", ".join(rest)
    return f"{head}, {', '.join(rest)}" if description else f"{head}: {', '.join(rest)}"


def logged(kind: str, values: dict, previous: dict, units: UnitSystem) -> str:
    """One line of what a chat message saved (kind: metric, workout, exercise or meal)."""
    if kind == "exercise":
        return exercise(values, units)
    if kind == "meal":
        return meal(values, units)
    text = ", ".join(fields(values, previous, units))
    return f"workout: {text}" if kind == "workout" else text


# --------------------------------------------------------------------------- goals

BAR_WIDTH = 10


def percent(value: float) -> str:
    """Rounded down, so a goal shows 100% only once it is reached: 99.6 -> "99%"."""
    return f"{int(value)}%"


def progress_bar(value: float, width: int = BAR_WIDTH) -> str:
    """ "▓▓▓▓░░░░░░ 42%": plain characters, so it reads the same in every Telegram client and the console."""
    filled = min(width, max(0, int(value * width // 100)))
    return f"{'▓' * filled}{'░' * (width - filled)} {percent(value)}"


def goal_event(title: str, before: float, after: float, *, completed: bool, reopened: bool) -> str:
    """One line about a goal a log moved: "Goal: Weight 175 lb by Mar 1 — 62% (+8%)", or the reached/reopened news."""
    if completed:
        return f"🎉 Goal reached: {title}!"
    change = int(after) - int(before)
    moved = f" ({change:+d}%)" if change else ""
    if reopened:
        return f"↩️ Goal reopened: {title} — {percent(after)}"
    return f"Goal: {title} — {percent(after)}{moved}"


def days_ago(value: dt.date | None, today: dt.date) -> str:
    """How long ago a day was, the way people say it: "today", "yesterday", "4 days ago", "never"."""
    if value is None:
        return "never"
    days = (today - value).days
    if days <= 1:
        return "today" if days <= 0 else "yesterday"
    return f"{days} days ago"
