"""The allowed range of every bounded column, in storage units.

One table, read by two consumers: the models turn each entry into a named
CHECK constraint (and the initial migration writes the same constraints), and
the parser and services validate input against the same numbers before
anything reaches the database. Because both read this module, the database
and the validation cannot drift apart.

Bounds are inclusive and deliberately generous: they reject typos and unit
mix-ups (a body fat of 180, a blood pressure of 400/80), not unusual people.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Range:
    low: float
    high: float
    unit: str = ""

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def describe(self) -> str:
        """Human text for error messages, e.g. "2-75 %"."""
        text = f"{_num(self.low)}-{_num(self.high)}"
        return f"{text} {self.unit}" if self.unit else text

    def check_sql(self, column: str) -> str:
        return f"{column} >= {_num(self.low)} AND {column} <= {_num(self.high)}"


def _num(value: float) -> str:
    return f"{value:g}"


SCALE = Range(1, 10)
"""Every 1-10 rating: wellness, session feedback, RPE, form, hunger, satisfaction."""

BODY_WEIGHT_LBS = Range(50, 1000, "lb")
BODY_FAT_PERCENTAGE = Range(2, 75, "%")

HEALTH_METRICS: dict[str, Range] = {
    "weight_lbs": BODY_WEIGHT_LBS,
    "body_fat_percentage": BODY_FAT_PERCENTAGE,
    "muscle_mass_lbs": Range(20, 500, "lb"),
    "bmi": Range(10, 100),
    "waist_inches": Range(15, 100, "in"),
    "chest_inches": Range(20, 100, "in"),
    "hips_inches": Range(20, 100, "in"),
    "neck_inches": Range(8, 35, "in"),
    "left_arm_inches": Range(5, 40, "in"),
    "right_arm_inches": Range(5, 40, "in"),
    "left_thigh_inches": Range(10, 60, "in"),
    "right_thigh_inches": Range(10, 60, "in"),
    "left_calf_inches": Range(7, 40, "in"),
    "right_calf_inches": Range(7, 40, "in"),
    "resting_heart_rate": Range(20, 250, "bpm"),
    "blood_pressure_systolic": Range(50, 300, "mmHg"),
    "blood_pressure_diastolic": Range(20, 200, "mmHg"),
    "energy_level": SCALE,
    "mood": SCALE,
    "sleep_quality": SCALE,
    "stress_level": SCALE,
}

WORKOUT_SESSIONS: dict[str, Range] = {
    "duration_minutes": Range(1, 1440, "min"),
    "week_number": Range(1, 520),
    "day_number": Range(1, 366),
    "intensity": SCALE,
    "fatigue": SCALE,
    "soreness": SCALE,
}

EXERCISE_LOGS: dict[str, Range] = {
    "sets": Range(1, 100),
    "reps": Range(1, 1000),
    "weight_lbs": Range(0, 2000, "lb"),
    "rest_seconds": Range(0, 3600, "s"),
    "duration_seconds": Range(1, 86400, "s"),
    "distance_miles": Range(0.001, 250, "mi"),
    "form_quality": SCALE,
    "rpe": SCALE,
    "order_index": Range(0, 10000),
}

MEAL_LOGS: dict[str, Range] = {
    "calories": Range(0, 10000, "kcal"),
    "protein_g": Range(0, 1000, "g"),
    "carbs_g": Range(0, 1500, "g"),
    "fat_g": Range(0, 1000, "g"),
    "fiber_g": Range(0, 300, "g"),
    "sugar_g": Range(0, 1000, "g"),
    "sodium_mg": Range(0, 50000, "mg"),
    "water_oz": Range(0, 400, "oz"),
    "satisfaction": SCALE,
    "hunger_before": SCALE,
    "hunger_after": SCALE,
}

COACHING_SESSIONS: dict[str, Range] = {
    "duration_minutes": Range(1, 1440, "min"),
    "user_rating": SCALE,
}

USER_GOALS: dict[str, Range] = {
    "progress_percentage": Range(0, 100, "%"),
}

PROGRESS_PHOTOS: dict[str, Range] = {
    "weight_lbs": BODY_WEIGHT_LBS,
    "body_fat_percentage": BODY_FAT_PERCENTAGE,
}

BY_TABLE: dict[str, dict[str, Range]] = {
    "health_metrics": HEALTH_METRICS,
    "workout_sessions": WORKOUT_SESSIONS,
    "exercise_logs": EXERCISE_LOGS,
    "meal_logs": MEAL_LOGS,
    "coaching_sessions": COACHING_SESSIONS,
    "user_goals": USER_GOALS,
    "progress_photos": PROGRESS_PHOTOS,
}
"""Table name -> column -> Range: what the models build their CHECKs from."""
