"""Numbers and dates as a person reads them: in their units and their time zone.

Storage is always pounds, inches, miles and fluid ounces; these functions are
the one place that turns stored values into display text, so every reply, the
console and the reports agree.
"""

from __future__ import annotations

import datetime as dt

from fitness_core.units import UnitSystem, in_to_cm, lb_to_kg, mi_to_km, oz_to_ml


def _trim(value: float, places: int) -> str:
    return f"{value:.{places}f}"


def weight(lbs: float, units: UnitSystem) -> str:
    if units is UnitSystem.METRIC:
        return f"{_trim(lb_to_kg(lbs), 1)} kg"
    return f"{_trim(lbs, 1)} lb"


def load(lbs: float, units: UnitSystem) -> str:
    """A lifted weight: whole numbers stay whole ("185 lb", "100 kg")."""
    value = lb_to_kg(lbs) if units is UnitSystem.METRIC else lbs
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {'kg' if units is UnitSystem.METRIC else 'lb'}"


def length(inches: float, units: UnitSystem) -> str:
    if units is UnitSystem.METRIC:
        return f"{_trim(in_to_cm(inches), 1)} cm"
    return f"{_trim(inches, 1)} in"


def distance(miles: float, units: UnitSystem) -> str:
    if units is UnitSystem.METRIC:
        return f"{_trim(mi_to_km(miles), 2)} km"
    return f"{_trim(miles, 2)} mi"


def water(oz: float, units: UnitSystem) -> str:
    if units is UnitSystem.METRIC:
        return f"{round(oz_to_ml(oz))} ml"
    return f"{_trim(oz, 1)} oz"


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
