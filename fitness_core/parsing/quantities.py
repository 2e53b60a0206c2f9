"""Numbers with units -> values in storage units (lb, in, mi, US fl oz, s).

A bare number takes the person's unit setting; a typed unit always wins. The
conversion factors themselves live in fitness_core.units; this module only
chooses which one applies and rounds to the precision each column keeps.
"""

from __future__ import annotations

from fitness_core import units as conv
from fitness_core.parsing.tokens import CLOCK, NUM, SYM, WORD, Token
from fitness_core.parsing.vocabulary import (
    BPM_UNITS,
    DISTANCE_UNITS,
    ENERGY_UNITS,
    GRAM_UNITS,
    LENGTH_UNITS,
    MILLIGRAM_UNITS,
    PRESSURE_UNITS,
    ROUND_DISTANCE,
    ROUND_LENGTH,
    ROUND_WATER,
    ROUND_WEIGHT,
    SECONDS_PER_UNIT,
    VOLUME_UNITS,
    WEIGHT_UNITS,
)
from fitness_core.units import UnitSystem

_OTHER_UNIT_WORDS = frozenset(
    word for table in (WEIGHT_UNITS, LENGTH_UNITS, DISTANCE_UNITS, SECONDS_PER_UNIT, VOLUME_UNITS, ENERGY_UNITS,
                       GRAM_UNITS, MILLIGRAM_UNITS, BPM_UNITS, PRESSURE_UNITS)
    for word in table if len(word) > 1 and word != "in"
)
"""Spaced words that are surely a unit ("182 cm"), so a wrong one is an error rather than left over."""


def unit_at(tokens: list[Token], i: int, table) -> tuple[str | None, int]:
    """The unit of the number at tokens[i] found in `table` (attached or the next word), and the next index.

    Returns (None, i + 1) for a bare number, and "?" when the number carries a unit
    that is not in `table`, so callers can reject "34lbs" or "182 cm" as a waist or a weight.
    """
    token = tokens[i]
    if token.unit is not None:
        return (token.unit if token.unit in table else "?"), i + 1
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and nxt.kind in (WORD, SYM):
        if nxt.text in table:
            return nxt.text, i + 2
        if nxt.text in _OTHER_UNIT_WORDS:
            return "?", i + 2
    return None, i + 1


def weight_lbs(value: float, unit: str | None, units: UnitSystem) -> float:
    unit = WEIGHT_UNITS.get(unit, unit) if unit else ("kg" if units is UnitSystem.METRIC else "lb")
    return round(conv.kg_to_lb(value) if unit == "kg" else value, ROUND_WEIGHT)


def length_inches(value: float, unit: str | None, units: UnitSystem) -> float:
    unit = LENGTH_UNITS.get(unit, unit) if unit else ("cm" if units is UnitSystem.METRIC else "in")
    return round(conv.cm_to_in(value) if unit == "cm" else value, ROUND_LENGTH)


def distance_miles(value: float, unit: str | None, units: UnitSystem) -> float:
    unit = DISTANCE_UNITS.get(unit, unit) if unit else ("km" if units is UnitSystem.METRIC else "mi")
    miles = {"km": conv.km_to_mi, "m": conv.m_to_mi}.get(unit, float)(value)
    return round(miles, ROUND_DISTANCE)


def water_oz(value: float, unit: str | None, units: UnitSystem) -> float:
    unit = VOLUME_UNITS.get(unit, unit) if unit else ("ml" if units is UnitSystem.METRIC else "oz")
    if unit in ("ml", "l"):
        return round(conv.ml_to_oz(value * (1000 if unit == "l" else 1)), ROUND_WATER)
    return round(value * conv.OZ_PER_US_MEASURE[unit], ROUND_WATER)


def clock_seconds(text: str, *, hours_first: bool = False) -> int:
    """ "27:30" -> 1650 s; "1:02:30" -> 3750 s; with hours_first "1:15" is an hour and a quarter."""
    parts = [int(part) for part in text.split(":")]
    if len(parts) == 3:
        hours, minutes, secs = parts
    elif hours_first:
        hours, minutes, secs = parts[0], parts[1], 0
    else:
        hours, (minutes, secs) = 0, parts
    return hours * 3600 + minutes * 60 + secs


def read_duration(tokens: list[Token], i: int, *, bare_unit: str | None, hours_first: bool = False,
                  table: dict[str, int] = SECONDS_PER_UNIT) -> tuple[float | None, int]:
    """Seconds of a duration starting at tokens[i], summing "1h 15m" or "27 min 30 s".

    A bare number counts in `bare_unit` (None: a bare number is not a duration here).
    Returns (None, i) when tokens[i] does not start a duration.
    """
    token = tokens[i]
    if token.kind == CLOCK:
        return float(clock_seconds(token.text, hours_first=hours_first)), i + 1
    total: float | None = None
    previous = None
    while i < len(tokens) and tokens[i].kind == NUM:
        unit, nxt = unit_at(tokens, i, table)
        if unit == "?" or (unit is None and (total is not None or bare_unit is None)):
            break
        size = table[unit or bare_unit]
        if previous is not None and size >= previous:  # "1h 15m 30s" only ever goes down
            break
        total, previous, i = (total or 0.0) + tokens[i].value * size, size, nxt
        if unit is None:
            break
    return total, i
