"""Where a clause starts: keyword lookup over tokens, and the shapes that begin each kind of entry.

Shared by every clause parser so that each knows where the next entry begins
("weight 182 bf 18 bench 3x5@185" has three). A keyword only starts a clause
when its value follows: "chest 42" is a measurement, "chest press 3x10" a lift.
"""

from __future__ import annotations

from fitness_core.parsing.tokens import CLOCK, NUM, SYM, WORD, Token
from fitness_core.parsing.vocabulary import (
    ADHERENCE,
    ENERGY_UNITS,
    EXERCISE_OPTION_WORDS,
    GRAM_UNITS,
    HUNGER_WORDS,
    LENGTH_UNITS,
    MACRO_LETTERS,
    MEAL_TYPES,
    METRIC_FILLERS,
    METRIC_KEYWORDS,
    MILLIGRAM_UNITS,
    NUTRIENT_KEYWORDS,
    PERCENT_UNITS,
    SATISFACTION_WORDS,
    SESSION_NOUNS,
    SESSION_NUMBERS,
    SESSION_PHASE_WORDS,
    SESSION_SCALES,
    SESSION_TYPE_WORDS,
    SESSION_TYPES,
    UNTRACKED,
    VOLUME_UNITS,
    WEIGHT_UNITS,
    MetricField,
)

_MAX_KEYWORD_TOKENS = 3
_REVERSED_METRIC_UNITS = frozenset(PERCENT_UNITS | set(LENGTH_UNITS) | set(WEIGHT_UNITS))
_AMOUNT_UNITS = frozenset(GRAM_UNITS | MILLIGRAM_UNITS | set(VOLUME_UNITS))


class Keywords:
    """A keyword table plus every prefix of its compact keys, so a miss costs one set lookup."""

    __slots__ = ("values", "prefixes")

    def __init__(self, values: dict) -> None:
        self.values = values
        self.prefixes = frozenset(key[:n] for key in values for n in range(1, len(key) + 1))


METRICS = Keywords(METRIC_KEYWORDS)
MEALS = Keywords(MEAL_TYPES)
NUTRIENTS = Keywords(NUTRIENT_KEYWORDS)
HUNGER = Keywords(HUNGER_WORDS)
SATISFACTION = Keywords(SATISFACTION_WORDS)
ADHERENCE_PHRASES = Keywords(ADHERENCE)
SESSION_SCALE_WORDS = Keywords(SESSION_SCALES)
SESSION_NUMBER_WORDS = Keywords(SESSION_NUMBERS)
SESSION_PHASES = Keywords(SESSION_PHASE_WORDS)
SESSION_TYPE_KEYS = Keywords(SESSION_TYPE_WORDS)
SESSION_TYPE_NAMES = Keywords(SESSION_TYPES)
UNTRACKED_WORDS = Keywords(UNTRACKED)
_STARTERS = frozenset().union(*(table.prefixes for table in (
    METRICS, MEALS, NUTRIENTS, HUNGER, SATISFACTION, SESSION_SCALE_WORDS, SESSION_NUMBER_WORDS,
    SESSION_PHASES, SESSION_TYPE_KEYS, SESSION_TYPE_NAMES, UNTRACKED_WORDS, ADHERENCE_PHRASES,
))) | SESSION_NOUNS | set(EXERCISE_OPTION_WORDS)


def may_start_keyword(token: Token) -> bool:
    """False for the many words (exercise names, foods) no keyword table can start with: the fast path."""
    return token.kind != WORD or token.key in _STARTERS


def lookup(tokens: list[Token], i: int, table: Keywords):
    """(value, next index) of the longest keyword of `table` starting at tokens[i], or None."""
    if i >= len(tokens) or tokens[i].kind != WORD or tokens[i].key not in table.prefixes:
        return None
    key = ""
    best = None
    for j in range(i, min(i + _MAX_KEYWORD_TOKENS, len(tokens))):
        token = tokens[j]
        if token.kind != WORD and token.text != "%":
            break
        key += token.key
        if key not in table.prefixes:
            break
        hit = table.values.get(key)
        if hit is not None:
            best = (hit, j + 1)
    return best


def _is_value(tokens: list[Token], j: int) -> bool:
    """A number that is a value of its own, not the start of "3x10"."""
    return (j < len(tokens) and tokens[j].kind == NUM
            and not (j + 1 < len(tokens) and tokens[j + 1].is_x))


def metric_at(tokens: list[Token], i: int) -> tuple[MetricField, int, int | None] | None:
    """(field, index of its value, end of clause if the value came first) for a metric clause at i."""
    hit = lookup(tokens, i, METRICS)
    if hit is not None:
        field, j = hit
        while j < len(tokens) and tokens[j].text in METRIC_FILLERS:
            j += 1
        return (field, j, None) if _is_value(tokens, j) else None
    token = tokens[i]
    if token.kind != NUM:
        return None
    if token.unit is not None:
        if token.unit not in _REVERSED_METRIC_UNITS:
            return None
        unit_end = i + 1
    elif i + 1 < len(tokens) and tokens[i + 1].text in _REVERSED_METRIC_UNITS:
        unit_end = i + 2
    else:
        return None
    hit = lookup(tokens, unit_end, METRICS)
    return (hit[0], i, hit[1]) if hit is not None else None


def session_at(tokens: list[Token], i: int) -> bool:
    token = tokens[i]
    if token.kind != WORD:
        return False
    nxt = i + 1
    while nxt < len(tokens) and tokens[nxt].text in (":", "="):
        nxt += 1
    following = tokens[nxt] if nxt < len(tokens) else None
    if token.text in SESSION_NOUNS:
        return following is not None and following.kind in (NUM, CLOCK)
    if lookup(tokens, i, SESSION_SCALE_WORDS) or lookup(tokens, i, SESSION_NUMBER_WORDS):
        return _is_value(tokens, nxt)
    if lookup(tokens, i, SESSION_PHASES):
        return following is not None and following.kind in (WORD, NUM)
    hit = lookup(tokens, i, SESSION_TYPE_KEYS)
    if hit is not None:
        return lookup(tokens, _skip_colon(tokens, hit[1]), SESSION_TYPE_NAMES) is not None
    hit = lookup(tokens, i, SESSION_TYPE_NAMES)
    return hit is not None and hit[1] < len(tokens) and tokens[hit[1]].text in SESSION_NOUNS


def _skip_colon(tokens: list[Token], j: int) -> int:
    while j < len(tokens) and tokens[j].text in (":", "="):
        j += 1
    return j


def meal_at(tokens: list[Token], i: int):
    """(meal_type, next index) when a meal starts at i."""
    return lookup(tokens, i, MEALS)


def nutrition_at(tokens: list[Token], i: int) -> bool:
    """A meal item with no meal word: "water 16oz", "protein 40g", "500 kcal", "40p", "16oz water", "satisfaction 8"."""
    token = tokens[i]
    if token.kind == WORD:
        hit = lookup(tokens, i, NUTRIENTS) or lookup(tokens, i, HUNGER) or lookup(tokens, i, SATISFACTION)
        return hit is not None and _is_value(tokens, _skip_colon(tokens, hit[1]))
    if token.kind != NUM:
        return False
    if token.unit in MACRO_LETTERS or energy_at(tokens, i):
        return True
    j = i + 1
    if token.unit is None and j < len(tokens) and tokens[j].text in _AMOUNT_UNITS:
        j += 1
    elif token.unit not in _AMOUNT_UNITS:
        return False
    if j < len(tokens) and tokens[j].text == "of":
        j += 1
    return lookup(tokens, j, NUTRIENTS) is not None


def energy_at(tokens: list[Token], i: int) -> bool:
    """ "500 kcal", "450cal"."""
    token = tokens[i]
    if token.kind != NUM:
        return False
    if token.unit is not None:
        return token.unit in ENERGY_UNITS
    return i + 1 < len(tokens) and tokens[i + 1].text in ENERGY_UNITS


def untracked_at(tokens: list[Token], i: int):
    """(why it has no column, next index) for things people log that the schema does not keep."""
    return lookup(tokens, i, UNTRACKED_WORDS)


def starts_clause(tokens: list[Token], i: int) -> bool:
    """Whether a new entry begins at tokens[i] (ends the description of a meal or the numbers of a lift)."""
    token = tokens[i]
    if token.kind == SYM or not may_start_keyword(token):
        return False
    return bool(meal_at(tokens, i) or nutrition_at(tokens, i) or metric_at(tokens, i) or session_at(tokens, i))
