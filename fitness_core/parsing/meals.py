"""Meal clauses: "breakfast oatmeal 350 kcal 12p 60c 6f", "dinner 700 kcal off plan hunger 8/3 at 7pm".

A meal reads to the end of its line (or the next meal); every word that is not
a nutrient, a time, a rating or the plan adherence is the description. A number
must say what it counts ("350 kcal", "40g protein", "12p") unless a food word
follows it ("2 eggs"): a bare "500" is an error, not a guess at calories.
"""

from __future__ import annotations

import datetime as dt

from fitness_core.parsing.drafts import Context, Draft, Given
from fitness_core.parsing.keywords import (
    ADHERENCE_PHRASES,
    HUNGER,
    NUTRIENTS,
    SATISFACTION,
    lookup,
    meal_at,
    metric_at,
    nutrition_at,
    session_at,
)
from fitness_core.parsing.quantities import unit_at, water_oz
from fitness_core.parsing.tokens import CLOCK, NUM, SYM, WORD, Token
from fitness_core.parsing.vocabulary import (
    AM_PM,
    AMBIGUOUS_HOURS,
    ENERGY_UNITS,
    GRAM_UNITS,
    MACRO_LETTERS,
    MILLIGRAM_UNITS,
    PAIR_SEPARATORS,
    TIME_WORDS,
    VOLUME_UNITS,
)

_SEPARATORS = frozenset({",", ":", "-", "+", "&", "(", ")", ".", "!", "|", "w/"})
_AT = frozenset({"at", "@", "around", "~"})
_MG_PER_G = 1000
_NUTRIENT_UNITS = {
    "calories": ENERGY_UNITS,
    "sodium_mg": GRAM_UNITS | MILLIGRAM_UNITS,
    "water_oz": frozenset(VOLUME_UNITS),
}
_NUTRIENT_LABELS = {
    "calories": "calories", "protein_g": "protein", "carbs_g": "carbs", "fat_g": "fat", "fiber_g": "fiber",
    "sugar_g": "sugar", "sodium_mg": "sodium", "water_oz": "water",
}


def parse_meal(ctx: Context, tokens: list[Token], i: int, line: int) -> int | None:
    """A meal word starts a described meal; a nutrient alone ("water 16oz", "protein 40g") a meal of type other."""
    adherence = lookup(tokens, i, ADHERENCE_PHRASES)  # "cheat meal ...", "on plan lunch ..."
    hit = meal_at(tokens, adherence[1] if adherence else i)
    if hit is not None:
        meal_type, j = hit
        description: list[Token] | None = []
    elif nutrition_at(tokens, i):
        meal_type, j, description = "other", i, None
    else:
        return None
    draft = ctx.draft("meal", tokens[i].start, tokens[j - 1].end if j > i else tokens[i].end, line)
    draft.values["meal_type"] = Given(meal_type, tokens[i].start, tokens[max(j - 1, i)].end)
    if adherence is not None and hit is not None:
        draft.values["adherence_to_plan"] = Given(adherence[0], tokens[i].start, tokens[adherence[1] - 1].end)
    while j < len(tokens) and not _ends_meal(tokens, j):
        nxt = _item(ctx, draft, tokens, j, description)
        if nxt is None:
            break
        j = nxt
    if description:
        start, end = description[0].start, description[-1].end
        words = " ".join(ctx.text[token.start:token.end] for token in description)
        draft.values["description"] = Given(words, start, end)
    if not draft.values.keys() - {"meal_type", "adherence_to_plan", "meal_time"}:
        ctx.drafts.remove(draft)
        ctx.error(draft.start, draft.end, f"{ctx.text[draft.start:draft.end]!r}: say what you ate, "
                                          "e.g. \"lunch chicken salad 450 kcal\"", "description")
    draft.end = max(draft.end, tokens[j - 1].end)
    return j


def _ends_meal(tokens: list[Token], j: int) -> bool:
    hit = meal_at(tokens, j)
    if hit is not None and hit[0] != "other":
        return True
    return metric_at(tokens, j) is not None or session_at(tokens, j)


def _item(ctx: Context, draft: Draft, tokens: list[Token], j: int, description: list[Token] | None) -> int | None:
    """Read one meal item at j; a plain word joins the description, or ends a meal that takes none."""
    token = tokens[j]
    if token.kind == SYM and token.text in _SEPARATORS:
        return j + 1
    for reader in (_adherence, _hunger, _satisfaction, _time, _nutrient_keyword, _number):
        nxt = reader(ctx, draft, tokens, j)
        if nxt is not None:
            return nxt
    if description is None:
        return None
    description.append(token)
    return j + 1


def _adherence(ctx: Context, draft: Draft, tokens: list[Token], j: int) -> int | None:
    hit = lookup(tokens, j, ADHERENCE_PHRASES)
    if hit is None:
        return None
    value, nxt = hit
    ctx.set_value(draft, "adherence_to_plan", Given(value, tokens[j].start, tokens[nxt - 1].end), "plan")
    return nxt


def _skip(tokens: list[Token], j: int, words=frozenset({":", "="})) -> int:
    while j < len(tokens) and tokens[j].text in words:
        j += 1
    return j


def _number_at(tokens: list[Token], j: int) -> bool:
    return j < len(tokens) and tokens[j].kind == NUM


def _hunger(ctx: Context, draft: Draft, tokens: list[Token], j: int) -> int | None:
    """ "hunger 8/3" is before/after eating; "hunger 8" is before; "hunger after 3" is after."""
    hit = lookup(tokens, j, HUNGER)
    if hit is None or not _number_at(tokens, _skip(tokens, hit[1])):
        return None
    which, k = hit[0], _skip(tokens, hit[1])
    column = "hunger_after" if which == "hunger_after" else "hunger_before"
    ctx.set_value(draft, column, Given(tokens[k].value, tokens[j].start, tokens[k].end), "hunger")
    k += 1
    pair = k < len(tokens) and tokens[k].text in PAIR_SEPARATORS | {"after"}
    if column == "hunger_before" and pair and _number_at(tokens, k + 1):
        ctx.set_value(draft, "hunger_after", Given(tokens[k + 1].value, tokens[j].start, tokens[k + 1].end),
                      "hunger")
        k += 2
    return k


def _satisfaction(ctx: Context, draft: Draft, tokens: list[Token], j: int) -> int | None:
    hit = lookup(tokens, j, SATISFACTION)
    if hit is None or not _number_at(tokens, _skip(tokens, hit[1])):
        return None
    k = _skip(tokens, hit[1])
    ctx.set_value(draft, "satisfaction", Given(tokens[k].value, tokens[j].start, tokens[k].end), "satisfaction")
    if k + 2 < len(tokens) and tokens[k + 1].text == "/" and tokens[k + 2].value == 10:
        return k + 3
    return k + 1


def _time(ctx: Context, draft: Draft, tokens: list[Token], j: int) -> int | None:
    """ "at 7pm", "@ 19:30", "7:30am", "at noon"; a bare "at 7" is asked about, not guessed."""
    token = tokens[j]
    k = j + 1 if token.text in _AT else j
    if k >= len(tokens):
        return None
    target = tokens[k]
    if target.kind == WORD and target.text in TIME_WORDS and k > j:
        hour, minute = TIME_WORDS[target.text]
    elif target.kind == CLOCK:
        parts = [int(part) for part in target.text.split(":")]
        if len(parts) != 2:
            return None
        hour, minute = parts
    elif target.kind == NUM and (target.unit in AM_PM or (k > j and target.unit is None)):
        if target.value != int(target.value):
            return None
        hour, minute = int(target.value), 0
    else:
        return None
    ampm, nxt = target.unit, k + 1
    if ampm is None and nxt < len(tokens) and tokens[nxt].text in AM_PM:
        ampm, nxt = tokens[nxt].text, nxt + 1
    end = tokens[nxt - 1].end
    meal_time, problem = _clock_time(hour, minute, ampm)
    if problem:
        ctx.error(token.start, end, f"meal time {ctx.text[token.start:end]!r}: {problem}", "meal_time")
    else:
        ctx.set_value(draft, "meal_time", Given(meal_time, token.start, end), "meal time")
    return nxt


def _clock_time(hour: int, minute: int, ampm: str | None) -> tuple[dt.time | None, str | None]:
    if ampm is not None:
        if not 1 <= hour <= 12 or not 0 <= minute <= 59:
            return None, "not a time of day"
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    elif hour in AMBIGUOUS_HOURS:
        return None, f"morning or evening? write {hour}am or {hour}pm"
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None, "not a time of day"
    return dt.time(hour, minute), None


def _nutrient_keyword(ctx: Context, draft: Draft, tokens: list[Token], j: int) -> int | None:
    """ "protein 40", "carbs: 20g", "sodium 900mg", "water 16oz"."""
    hit = lookup(tokens, j, NUTRIENTS)
    if hit is None:
        return None
    k = _skip(tokens, hit[1])
    if not _number_at(tokens, k) or (k + 1 < len(tokens) and tokens[k + 1].is_x):
        return None
    return _amount(ctx, draft, hit[0], tokens, k, label_start=tokens[j].start)


def _number(ctx: Context, draft: Draft, tokens: list[Token], j: int) -> int | None:
    """A number with its unit: "350 kcal", "12p", "40g protein", "16oz water"; "2 eggs" is description."""
    token = tokens[j]
    if token.kind != NUM:
        return None
    if token.unit in MACRO_LETTERS:
        return _amount(ctx, draft, MACRO_LETTERS[token.unit], tokens, j)
    energy, _ = unit_at(tokens, j, ENERGY_UNITS)
    if energy not in (None, "?"):
        return _amount(ctx, draft, "calories", tokens, j)
    _, after_unit = unit_at(tokens, j, GRAM_UNITS | MILLIGRAM_UNITS | set(VOLUME_UNITS))
    after_unit = _skip(tokens, after_unit, frozenset({"of"}))
    named = lookup(tokens, after_unit, NUTRIENTS)
    if named is not None:
        _amount(ctx, draft, named[0], tokens, j)
        return named[1]
    following = tokens[j + 1] if j + 1 < len(tokens) else None
    if following is not None and following.kind == WORD:
        return None  # "2 eggs", "12oz steak": part of the description
    ctx.error(token.start, token.end, f"{ctx.text[token.start:token.end]!r}: say what it counts, "
                                      "e.g. \"350 kcal\", \"40g protein\" or \"12p\"")
    return j + 1


def _amount(ctx: Context, draft: Draft, column: str, tokens: list[Token], k: int, *,
            label_start: int | None = None) -> int:
    """Read the amount at tokens[k] for `column` in its storage unit (g, mg, kcal, fl oz)."""
    token = tokens[k]
    if token.unit in MACRO_LETTERS:
        unit, nxt = None, k + 1
    else:
        unit, nxt = unit_at(tokens, k, _NUTRIENT_UNITS.get(column, GRAM_UNITS))
    label = _NUTRIENT_LABELS[column]
    start, end = label_start if label_start is not None else token.start, tokens[nxt - 1].end
    if unit == "?" or (token.unit in MACRO_LETTERS and MACRO_LETTERS[token.unit] != column):
        ctx.error(token.start, end, f"{label}: {ctx.text[token.start:end]!r} has the wrong unit", column)
        return nxt
    value = token.value
    if column == "water_oz":
        value = water_oz(value, unit, ctx.units)
    elif column == "sodium_mg" and unit in GRAM_UNITS:
        value = value * _MG_PER_G
    ctx.set_value(draft, column, Given(value, start, end), label)
    return nxt
