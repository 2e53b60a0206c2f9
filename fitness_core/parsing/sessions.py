"""Session-level clauses: "workout 60 min intensity 8 fatigue 6 soreness 4", "phase hypertrophy week 3 day 2".

A run of session words makes one workout draft; the session_type is only set
when typed ("strength session", "type cardio"), the bot derives it otherwise.
"""

from __future__ import annotations

from fitness_core.parsing.drafts import Context, Draft, Given
from fitness_core.parsing.keywords import (
    SESSION_NUMBER_WORDS,
    SESSION_PHASES,
    SESSION_SCALE_WORDS,
    SESSION_TYPE_KEYS,
    SESSION_TYPE_NAMES,
    lookup,
    session_at,
    starts_clause,
)
from fitness_core.parsing.quantities import read_duration
from fitness_core.parsing.tokens import NUM, WORD, Token
from fitness_core.parsing.vocabulary import MINUTES_M_SECONDS_PER_UNIT, SESSION_NOUNS

_SECONDS_PER_MINUTE = 60


def parse_session(ctx: Context, tokens: list[Token], i: int, line: int) -> int | None:
    if not session_at(tokens, i):
        return None
    draft = ctx.draft("workout", tokens[i].start, tokens[i].end, line)
    while i < len(tokens) and session_at(tokens, i):
        i = _item(ctx, draft, tokens, i)
        draft.end = max(draft.end, tokens[i - 1].end)
        while i < len(tokens) and tokens[i].text in (",", "-", "|", "/"):
            i += 1
    return i


def _skip_colon(tokens: list[Token], j: int) -> int:
    while j < len(tokens) and tokens[j].text in (":", "="):
        j += 1
    return j


def _item(ctx: Context, draft: Draft, tokens: list[Token], i: int) -> int:
    token = tokens[i]
    if token.text in SESSION_NOUNS:
        return _duration(ctx, draft, tokens, _skip_colon(tokens, i + 1))
    for table in (SESSION_SCALE_WORDS, SESSION_NUMBER_WORDS):
        hit = lookup(tokens, i, table)
        if hit is not None:
            column, j = hit
            value = tokens[_skip_colon(tokens, j)]
            ctx.set_value(draft, column, Given(value.value, token.start, value.end), column)
            return _skip_colon(tokens, j) + 1
    hit = lookup(tokens, i, SESSION_PHASES)
    if hit is not None:
        return _phase(ctx, draft, tokens, hit[1])
    hit = lookup(tokens, i, SESSION_TYPE_KEYS)
    if hit is not None:
        i = _skip_colon(tokens, hit[1])
    session_type, j = lookup(tokens, i, SESSION_TYPE_NAMES)
    ctx.set_value(draft, "session_type", Given(session_type, token.start, tokens[j - 1].end), "session type")
    if j < len(tokens) and tokens[j].text in SESSION_NOUNS and not session_at(tokens, j):
        j += 1  # the noun of "strength session" with no duration after it
    return j


def _duration(ctx: Context, draft: Draft, tokens: list[Token], j: int) -> int:
    seconds, nxt = read_duration(tokens, j, bare_unit="min", hours_first=True, table=MINUTES_M_SECONDS_PER_UNIT)
    if seconds is None:
        ctx.error(tokens[j].start, tokens[j].end, "a session duration needs minutes, e.g. \"workout 60 min\"",
                  "duration_minutes")
        return j + 1
    minutes = seconds / _SECONDS_PER_MINUTE
    ctx.set_value(draft, "duration_minutes", Given(minutes, tokens[j].start, tokens[nxt - 1].end), "duration")
    return nxt


def _phase(ctx: Context, draft: Draft, tokens: list[Token], j: int) -> int:
    """The phase is the words after "phase", up to the next session word or entry."""
    j = _skip_colon(tokens, j)
    first = j
    while (j < len(tokens) and tokens[j].kind in (WORD, NUM)
           and (j == first or not (session_at(tokens, j) or starts_clause(tokens, j)))):
        j += 1
    text = ctx.text[tokens[first].start:tokens[j - 1].end]
    ctx.set_value(draft, "program_phase", Given(text, tokens[first].start, tokens[j - 1].end), "phase")
    return j
