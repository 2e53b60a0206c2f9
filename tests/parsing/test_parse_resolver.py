"""The exercise resolver and the shipped alias file."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from fitness_core.parsing import ExerciseResolver

BENCH = "Barbell Bench Press - Medium Grip"


def _data(name):
    return json.loads(resources.files("fitness_core").joinpath("data", name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("typed", "name"), [
    ("bench", BENCH), ("Bench Press", BENCH), ("benchpress", BENCH), ("bench-press", BENCH), ("bnech", BENCH),
    ("squats", "Barbell Squat"), ("sqaut", "Barbell Squat"), ("pull ups", "Pullups"), ("pull-ups", "Pullups"),
    ("Pullups", "Pullups"), ("chin-ups", "Chin-Up"), ("ohp", "Standing Military Press"),
    ("dl", "Barbell Deadlift"), ("deadlfit", "Barbell Deadlift"), ("rdls", "Romanian Deadlift"),
    ("leg press", "Leg Press"), ("bench dips", "Bench Dips"), ("curl", "Barbell Curl"),
    ("rows", "Bent Over Barbell Row"), ("row", "Rowing, Stationary"), ("ran", "Running, Treadmill"),
    ("lat pulldowns", "Wide-Grip Lat Pulldown"), ("Running, Treadmill", "Running, Treadmill"),
    ("barbell bench press - medium grip", BENCH), ("Farmers walk", "Farmer's Walk"),
])
def test_typed_names_resolve(resolver, typed, name):
    resolution = resolver.resolve(typed)
    assert (resolution.name, resolution.resolved) == (name, True)


@pytest.mark.parametrize("typed", ["blah", "pizza", "chicken", "hello", "press", "swim", "lunch", "banana",
                                   "zercher carry", "burpees", "asdfgh", "bench dip machine xyz"])
def test_unrelated_names_stay_as_typed(resolver, typed):
    resolution = resolver.resolve(typed)
    assert not resolution.resolved
    assert resolution.name == typed


def test_near_names_are_not_confused(resolver):
    assert resolver.resolve("bench").name != resolver.resolve("bench dips").name
    assert resolver.resolve("leg press").name != resolver.resolve("bench press").name
    assert resolver.resolve("front squat").name != resolver.resolve("squat").name


def test_kinds_come_from_the_data(resolver):
    assert resolver.resolve("run").cardio
    assert resolver.resolve("swim").cardio  # unknown, but a cardio word
    assert not resolver.resolve("bench").cardio
    assert resolver.resolve("pushups").bodyweight
    assert not resolver.resolve("bench").bodyweight


def test_from_pairs_matches_plurals_typos_and_drops_ties():
    resolver = ExerciseResolver.from_pairs([("Goblet Squat", ["goblet"]), ("Box Squat", []), ("Sled Push", [])],
                                           cardio=["Sled Push"])
    assert resolver.resolve("goblets").name == "Goblet Squat"
    assert resolver.resolve("box squats").name == "Box Squat"
    assert resolver.resolve("sled psuh").name == "Sled Push"
    assert resolver.resolve("sled push").cardio
    tie = ExerciseResolver.from_pairs([("Abcde Fgh", []), ("Abcde Fgi", [])])
    assert not tie.resolve("abcde fgj").resolved


def test_alias_file_is_a_plain_mapping_of_real_names():
    aliases = _data("exercise_aliases.json")
    names = {item["name"] for item in _data("exercises.json")}
    assert isinstance(aliases, dict) and aliases
    assert set(aliases) <= names
    seen: dict[str, str] = {}
    for name, spellings in aliases.items():
        assert isinstance(spellings, list) and all(isinstance(alias, str) and alias for alias in spellings)
        for alias in spellings:
            assert alias.lower() not in seen, (alias, name, seen.get(alias.lower()))
            seen[alias.lower()] = name


def test_every_alias_resolves_to_its_own_definition(resolver):
    for name, spellings in _data("exercise_aliases.json").items():
        for alias in spellings:
            assert resolver.resolve(alias).name == name, alias


def test_every_definition_name_resolves_to_itself(resolver):
    wrong = [item["name"] for item in _data("exercises.json") if resolver.resolve(item["name"]).name != item["name"]]
    assert wrong == []
