"""Typed exercise name -> ExerciseDefinition name.

Built from (definition name, aliases) pairs: the same pairs the database seed
stores, so the bot and the parser agree on what "bench" means. Matching is
deliberately narrow: an exact match after normalising case, spacing,
punctuation and plurals, then a small typo; anything further stays as typed,
because a wrong exercise is worse than an unknown one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fitness_core.parsing.fuzzy import TypoIndex
from fitness_core.parsing.vocabulary import BODYWEIGHT_EQUIPMENT, CARDIO_CATEGORY, CARDIO_WORDS

_ALNUM = re.compile(r"[a-z0-9]+")
_CACHE_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Resolution:
    """The name to store, whether it is a known definition, and what kind of exercise it is."""

    name: str
    resolved: bool
    cardio: bool = False
    bodyweight: bool = False


def _words(text: str) -> list[str]:
    return _ALNUM.findall(text.lower().replace("'", "").replace("’", ""))


def _singular(word: str) -> str:
    if len(word) <= 2 or word.endswith(("ss", "us")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _keys(text: str) -> tuple[str, str]:
    """(exact, singular) keys: "Pull-Ups" -> ("pullups", "pullup")."""
    words = _words(text)
    return "".join(words), "".join(_singular(word) for word in words)


def _typo_budget(length: int) -> int:
    return 2 if length >= 9 else 1 if length >= 5 else 0


class ExerciseResolver:
    """Resolves names; build it once (see `default_resolver`) and reuse it for every message."""

    def __init__(self, exact: dict[str, str], singular: dict[str, str],
                 cardio: frozenset[str], bodyweight: frozenset[str]) -> None:
        self._exact = exact
        self._singular = singular
        self._typos = TypoIndex(singular.items(), _typo_budget)
        self._cardio = cardio
        self._bodyweight = bodyweight
        self._cache: dict[str, Resolution] = {}

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, Iterable[str]]], *,
                   cardio: Iterable[str] = (), bodyweight: Iterable[str] = ()) -> ExerciseResolver:
        """`pairs` are (definition name, aliases); `cardio`/`bodyweight` name definitions of that kind.

        An alias wins over another definition's name; a key two definitions
        claim equally (after dropping plurals) is dropped rather than guessed.
        """
        exact: dict[str, str] = {}
        spellings: list[tuple[str, str]] = []
        for name, aliases in pairs:
            spellings.append((name, name))
            spellings.extend((alias, name) for alias in aliases)
        aliases_first = sorted(spellings, key=lambda pair: pair[0] == pair[1])
        for spelling, name in aliases_first:
            exact.setdefault(_keys(spelling)[0], name)
        singular: dict[str, str | None] = {}
        plural_derived: dict[str, str | None] = {}
        for spelling, name in aliases_first:
            exact_key, singular_key = _keys(spelling)
            table = singular if exact_key == singular_key else plural_derived
            if table.get(singular_key, name) != name:
                table[singular_key] = None
            else:
                table.setdefault(singular_key, name)
        for key, name in plural_derived.items():
            singular.setdefault(key, name)
        clean = {key: name for key, name in singular.items() if name is not None and key}
        return cls({k: v for k, v in exact.items() if k}, clean, frozenset(cardio), frozenset(bodyweight))

    def resolve(self, typed: str) -> Resolution:
        found = self._cache.get(typed)
        if found is None:
            found = self._resolve(typed)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[typed] = found
        return found

    def _resolve(self, typed: str) -> Resolution:
        exact, singular = _keys(typed)
        name = self._exact.get(exact) or self._singular.get(singular) or self._typos.lookup(singular)
        if name is None:
            cardio = any(word in CARDIO_WORDS for word in _words(typed))
            return Resolution(" ".join(typed.split()), False, cardio=cardio)
        return Resolution(name, True, cardio=name in self._cardio, bodyweight=name in self._bodyweight)


def _data_text(filename: str) -> str:
    return resources.files("fitness_core").joinpath("data", filename).read_text(encoding="utf-8")


@cache
def default_resolver() -> ExerciseResolver:
    """The resolver over the shipped exercise data and aliases, built once per process."""
    definitions = json.loads(_data_text("exercises.json"))
    aliases: dict[str, list[str]] = json.loads(_data_text("exercise_aliases.json"))
    return ExerciseResolver.from_pairs(
        ((item["name"], aliases.get(item["name"], ())) for item in definitions),
        cardio=(item["name"] for item in definitions if item.get("category") == CARDIO_CATEGORY),
        bodyweight=(item["name"] for item in definitions if item.get("equipment") in BODYWEIGHT_EQUIPMENT),
    )
