"""Health-metric clauses: "weight 182", "18% bf", "waist 86cm", "bp 120/80", "mood 8/10"."""

from __future__ import annotations

from fitness_core.parsing.drafts import Context, Given
from fitness_core.parsing.keywords import metric_at
from fitness_core.parsing.quantities import length_inches, unit_at, weight_lbs
from fitness_core.parsing.tokens import NUM, Token
from fitness_core.parsing.vocabulary import (
    BPM_UNITS,
    LENGTH_UNITS,
    PERCENT_UNITS,
    PRESSURE_UNITS,
    WEIGHT_UNITS,
    MetricField,
)

_UNIT_TABLES = {
    "body_weight": WEIGHT_UNITS,
    "length": LENGTH_UNITS,
    "percent": PERCENT_UNITS,
    "bpm": BPM_UNITS,
    "plain": frozenset(),
    "scale": frozenset(),
    "pressure": PRESSURE_UNITS,
}
_UNIT_HINTS = {
    "body_weight": "lb or kg",
    "length": "in or cm",
    "percent": "%",
    "bpm": "bpm",
    "plain": "no unit",
    "scale": "a 1-10 rating",
    "pressure": "mmHg",
}
_PRESSURE_SEPARATORS = frozenset({"/", "over", "-"})


def parse_metric(ctx: Context, tokens: list[Token], i: int, line: int) -> int | None:
    """Parse a metric clause at tokens[i]; returns the index after it, or None if none starts there."""
    found = metric_at(tokens, i)
    if found is None:
        return None
    field, j, reversed_end = found
    draft = ctx.draft("metric", tokens[i].start, tokens[i].end, line)
    if field.dimension == "pressure":
        nxt = _pressure(ctx, draft, field, tokens, j)
    else:
        nxt = _single(ctx, draft, field, tokens, j)
    if reversed_end is not None:
        nxt = reversed_end
    draft.end = max(draft.end, tokens[nxt - 1].end)
    for column in field.columns:  # errors and replies quote the whole clause: "bf 180", not "180"
        if column in draft.values:
            draft.values[column] = draft.values[column]._replace(start=draft.start, end=draft.end)
    return nxt


def _single(ctx: Context, draft, field: MetricField, tokens: list[Token], j: int) -> int:
    token = tokens[j]
    unit, nxt = unit_at(tokens, j, _UNIT_TABLES[field.dimension])
    end = tokens[nxt - 1].end
    if unit == "?":
        ctx.error(token.start, end, f"{field.label}: {ctx.text[token.start:end]!r} is not in "
                                    f"{_UNIT_HINTS[field.dimension]}", field.columns[0])
        return nxt
    value = token.value
    if field.dimension == "body_weight":
        value = weight_lbs(value, unit, ctx.units)
    elif field.dimension == "length":
        value = length_inches(value, unit, ctx.units)
    elif field.dimension == "scale":
        nxt, end = _out_of_ten(tokens, nxt, end)
    for column in field.columns:
        ctx.set_value(draft, column, Given(value, token.start, end), field.label)
    return nxt


def _out_of_ten(tokens: list[Token], j: int, end: int) -> tuple[int, int]:
    """Skip the "/10" of "mood 8/10" or the "out of 10" of "mood 8 out of 10"."""
    words = [token.text for token in tokens[j:j + 3]]
    if words[:1] == ["/"] and j + 1 < len(tokens) and tokens[j + 1].value == 10:
        return j + 2, tokens[j + 1].end
    if words[:2] == ["out", "of"] and j + 2 < len(tokens) and tokens[j + 2].value == 10:
        return j + 3, tokens[j + 2].end
    return j, end


def _pressure(ctx: Context, draft, field: MetricField, tokens: list[Token], j: int) -> int:
    first = tokens[j]
    k = j + 1
    if (k + 1 < len(tokens) and tokens[k].text in _PRESSURE_SEPARATORS
            and tokens[k + 1].kind == NUM and tokens[k + 1].unit in (None, "mmhg")):
        second = tokens[k + 1]
        _, nxt = unit_at(tokens, k + 1, PRESSURE_UNITS)
        systolic, diastolic = field.columns
        end = tokens[nxt - 1].end
        ctx.set_value(draft, systolic, Given(first.value, first.start, end), field.label)
        ctx.set_value(draft, diastolic, Given(second.value, first.start, end), field.label)
        return nxt
    ctx.error(first.start, first.end, "blood pressure needs both numbers, e.g. \"bp 120/80\"", field.columns[0])
    return j + 1
