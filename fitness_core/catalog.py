"""The exercise catalogue shipped with the project, and how it lands in exercise_definitions.

The data is free-exercise-db (public domain, see data/exercises_LICENSE.md),
copied into the package so the program never reads outside itself at run
time. Its categories are mapped onto the seed document's enum; the short names
people type come from data/exercise_aliases.json.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.sql.dml import ReturningInsert

from fitness_core.models import DifficultyLevel, ExerciseCategory, ExerciseDefinition

ATTRIBUTION = "Exercise data: free-exercise-db by yuhonas (The Unlicense, public domain)."

_CATEGORY_BY_SOURCE = {
    "cardio": ExerciseCategory.CARDIO,
    "stretching": ExerciseCategory.FLEXIBILITY,
    "plyometrics": ExerciseCategory.PLYOMETRIC,
}
_LEVELS = {level.value: level for level in DifficultyLevel}


def _read_json(name: str) -> Any:
    return json.loads(resources.files("fitness_core.data").joinpath(name).read_text("utf-8"))


@cache
def source_exercises() -> tuple[dict[str, Any], ...]:
    return tuple(_read_json("exercises.json"))


@cache
def aliases_by_name() -> dict[str, tuple[str, ...]]:
    return {name: tuple(aliases) for name, aliases in _read_json("exercise_aliases.json").items()}


def category_of(exercise: dict[str, Any]) -> ExerciseCategory:
    """Strength-type entries (strength, powerlifting, olympic, strongman) split by mechanic; abs work is core."""
    mapped = _CATEGORY_BY_SOURCE.get(exercise.get("category", ""))
    if mapped:
        return mapped
    if "abdominals" in exercise.get("primaryMuscles", []):
        return ExerciseCategory.CORE
    if exercise.get("mechanic") == "isolation":
        return ExerciseCategory.ISOLATION
    return ExerciseCategory.COMPOUND


def definition_row(exercise: dict[str, Any], aliases: tuple[str, ...]) -> dict[str, Any]:
    muscles = [*exercise.get("primaryMuscles", []), *exercise.get("secondaryMuscles", [])]
    equipment = exercise.get("equipment")
    return {
        "name": exercise["name"],
        "category": category_of(exercise),
        "muscle_groups": list(dict.fromkeys(muscles)),
        "equipment_needed": [equipment] if equipment else [],
        "difficulty_level": _LEVELS.get(exercise.get("level", "")),
        "instructions": "\n".join(exercise.get("instructions", [])) or None,
        "aliases": list(aliases),
        "is_active": True,
    }


def definition_rows() -> list[dict[str, Any]]:
    aliases = aliases_by_name()
    return [definition_row(e, aliases.get(e["name"], ())) for e in source_exercises()]


def upsert_definitions() -> ReturningInsert[tuple[int]]:
    """One idempotent statement: new names are inserted, known names refreshed; returns their ids."""
    statement = insert(ExerciseDefinition).values(definition_rows())
    refreshed = {
        column: statement.excluded[column]
        for column in ("category", "muscle_groups", "equipment_needed", "difficulty_level", "instructions", "aliases")
    }
    return statement.on_conflict_do_update(index_elements=["name"], set_=refreshed).returning(ExerciseDefinition.id)
