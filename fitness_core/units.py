"""Unit conversions, in one place.

The schema stores pounds, inches, miles and US fluid ounces (the seed
document's units); people type and read kilograms, centimetres, kilometres and
millilitres as well. Every conversion in the project goes through here so a
factor can never differ between the parser, the replies and the reports.
"""

from __future__ import annotations

import enum

LB_PER_KG = 1 / 0.45359237  # the international pound is defined as exactly 0.45359237 kg
CM_PER_IN = 2.54
KM_PER_MI = 1.609344
ML_PER_OZ = 29.5735295625  # US customary fluid ounce
OZ_PER_US_MEASURE = {"oz": 1, "cup": 8, "pint": 16, "quart": 32, "gal": 128}
"""US customary liquid measures in fluid ounces (exact by definition)."""


class UnitSystem(enum.StrEnum):
    """A person's display and default-input units."""

    IMPERIAL = "imperial"
    METRIC = "metric"


def kg_to_lb(kg: float) -> float:
    return kg * LB_PER_KG


def lb_to_kg(lb: float) -> float:
    return lb / LB_PER_KG


def cm_to_in(cm: float) -> float:
    return cm / CM_PER_IN


def in_to_cm(inches: float) -> float:
    return inches * CM_PER_IN


def km_to_mi(km: float) -> float:
    return km / KM_PER_MI


def mi_to_km(mi: float) -> float:
    return mi * KM_PER_MI


def m_to_mi(metres: float) -> float:
    return km_to_mi(metres / 1000)


def ml_to_oz(ml: float) -> float:
    return ml / ML_PER_OZ


def oz_to_ml(oz: float) -> float:
    return oz * ML_PER_OZ
