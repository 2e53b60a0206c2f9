"""parse_message: one chat message -> what to log, what to fix, what to ask.

A message is split into segments (lines and ";"); in each, a note after " -- "
or "note:" is set aside, date phrases are taken out, and the remaining tokens
are read clause by clause: the first clause parser that recognises its start
wins, so several entries can follow one another on a line. Words no parser
takes are chatter (ignored) or not understood (an error with examples).
"""

from __future__ import annotations

import datetime as dt
import re

from fitness_core.parsing.chatter import classify
from fitness_core.parsing.dates import DatePhrase, find_fast_dates, find_slow_dates, mentions_date
from fitness_core.parsing.drafts import Context, Draft, Given
from fitness_core.parsing.entries import Ignored, ParseResult, Question
from fitness_core.parsing.examples import not_understood
from fitness_core.parsing.exercises import parse_exercise, parse_options
from fitness_core.parsing.keywords import may_start_keyword, untracked_at
from fitness_core.parsing.meals import parse_meal
from fitness_core.parsing.metrics import parse_metric
from fitness_core.parsing.quantities import unit_at, weight_lbs
from fitness_core.parsing.resolver import ExerciseResolver, default_resolver
from fitness_core.parsing.sessions import parse_session
from fitness_core.parsing.tokens import CLOCK, NUM, SYM, WORD, Token, tokenize
from fitness_core.parsing.validation import build_entries, build_entry
from fitness_core.parsing.vocabulary import CONNECTORS
from fitness_core.ranges import HEALTH_METRICS
from fitness_core.units import UnitSystem

_SEGMENT = re.compile(r"[^\n\r;]+")
_NOTE = re.compile(r"\s(?:--|—|–)\s|(?<!\w)(?:notes?|comment)\s*:", re.IGNORECASE)
_CLAUSE_PARSERS = (parse_meal, parse_metric, parse_session, parse_options)
_SKIPPED_SYMBOLS = frozenset({",", ".", "!", "?", ":", "-", "&", "|", "(", ")", "*", "~", "+", "/", "…"})


def parse_message(text: str, *, today: dt.date, units: UnitSystem | str = UnitSystem.IMPERIAL,
                  resolver: ExerciseResolver | None = None) -> ParseResult:
    """Everything `text` means, relative to `today` and the person's `units`; never raises, never reads a clock."""
    ctx = Context(text, today, UnitSystem(units), resolver or default_resolver())
    dates = [date for line, match in enumerate(_SEGMENT.finditer(text))
             if (date := _parse_segment(ctx, match.start(), match.end(), line)) is not None]
    message_date = dates[0] if dates else today
    entries = build_entries(ctx, message_date)
    for question, draft in ctx.asks:
        entry = build_entry(ctx, draft, draft.date or message_date)
        if entry is not None:
            ctx.questions.append(Question(ctx.span(draft.start, draft.end), question, entry))
    return ParseResult(text, message_date, tuple(entries), tuple(ctx.errors), tuple(ctx.questions),
                       tuple(ctx.ignored))


def _parse_segment(ctx: Context, start: int, end: int, line: int) -> dt.date | None:
    """Parse one line (or ";"-part); returns the date it names, if any."""
    note = _NOTE.search(ctx.text, start, end)
    body_end = note.start() if note else end
    tokens = tokenize(ctx.text, start, body_end)
    phrases = []
    if mentions_date(tokens):
        phrases = find_fast_dates(ctx.text, start, body_end, ctx.today)
        tokens = [t for t in tokens if not any(p.start <= t.start and t.end <= p.end for p in phrases)]
        for first, last, phrase in reversed(find_slow_dates(tokens, ctx.text, ctx.today)):
            del tokens[first:last]
            phrases.append(phrase)
    first_draft = len(ctx.drafts)
    first_ask = len(ctx.asks)
    if not _bare_number(ctx, tokens, line):
        _read_clauses(ctx, tokens, line)
    if note:
        _attach_note(ctx, note.end(), end, first_draft, line)
    date = _segment_date(ctx, phrases)
    for draft in ctx.drafts[first_draft:]:
        draft.date = date
    for _, draft in ctx.asks[first_ask:]:
        draft.date = date
    return date


def _segment_date(ctx: Context, phrases: list[DatePhrase]) -> dt.date | None:
    dates = []
    for phrase in phrases:
        if phrase.problem:
            ctx.error(phrase.start, phrase.end, f"{ctx.text[phrase.start:phrase.end]!r}: {phrase.problem}", "date")
        elif phrase.date not in dates:
            dates.append(phrase.date)
    if len(dates) > 1:
        first, last = min(p.start for p in phrases), max(p.end for p in phrases)
        ctx.error(first, last, "one line names two different days; put each day on its own line", "date")
    return dates[0] if dates else None


def _bare_number(ctx: Context, tokens: list[Token], line: int) -> bool:
    """A line that is only a number ("182", "82.5 kg") is asked about as a weight, never logged outright."""
    if not tokens or tokens[0].kind != NUM:
        return False
    unit, nxt = unit_at(tokens, 0, {"lb": 1, "lbs": 1, "kg": 1, "kgs": 1})
    if nxt != len(tokens) or unit == "?":
        return False
    token = tokens[0]
    value = weight_lbs(token.value, unit, ctx.units)
    if not HEALTH_METRICS["weight_lbs"].contains(value):
        not_understood(ctx, token.start, tokens[-1].end)
        return True
    shown_unit = unit or ("kg" if ctx.units is UnitSystem.METRIC else "lb")
    shown_unit = "kg" if shown_unit.startswith("kg") else "lb"
    draft = Draft("metric", token.start, tokens[-1].end, line)
    draft.values["weight_lbs"] = Given(value, token.start, tokens[-1].end)
    ctx.asks.append((f"Log weight {token.value:g} {shown_unit}?", draft))
    return True


def _read_clauses(ctx: Context, tokens: list[Token], line: int) -> None:
    leftovers: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (token.kind == SYM and token.text in _SKIPPED_SYMBOLS) or (token.text in CONNECTORS and not leftovers):
            i += 1
            continue
        nxt = None
        drafts, errors = len(ctx.drafts), len(ctx.errors)
        if may_start_keyword(token):
            for parser in _CLAUSE_PARSERS:
                nxt = parser(ctx, tokens, i, line)
                if nxt is not None:
                    break
            else:
                nxt = _untracked(ctx, tokens, i)
        if nxt is None:
            nxt = parse_exercise(ctx, tokens, i, line)
        if nxt is None:
            leftovers.append(token)
            i += 1
            continue
        if len(ctx.errors) > errors:  # a clause with an error logs nothing, not the part understood
            del ctx.drafts[drafts:]
        _settle_leftovers(ctx, leftovers)
        leftovers = []
        i = nxt
    _settle_leftovers(ctx, leftovers)


def _untracked(ctx: Context, tokens: list[Token], i: int) -> int | None:
    hit = untracked_at(tokens, i)
    if hit is None:
        return None
    why, j = hit
    while j < len(tokens) and (tokens[j].kind in (NUM, CLOCK) or tokens[j].text in ("h", "hrs", "hours", ":")):
        j += 1
    ctx.error(tokens[i].start, tokens[j - 1].end, f"{ctx.text[tokens[i].start:tokens[j - 1].end]!r}: {why}")
    return j


def _settle_leftovers(ctx: Context, leftovers: list[Token]) -> None:
    if not leftovers:
        return
    start, end = leftovers[0].start, leftovers[-1].end
    reason = None
    if all(token.kind in (WORD, SYM) for token in leftovers):
        reason = classify([token.text for token in leftovers if token.kind == WORD])
    if reason is None:
        not_understood(ctx, start, end)
    else:
        ctx.ignored.append(Ignored(ctx.span(start, end), reason))


def _attach_note(ctx: Context, start: int, end: int, first_draft: int, line: int) -> None:
    """A note belongs to the entry just before it on its line; alone, it is a health-metric note."""
    text = ctx.text[start:end].strip()
    if not text:
        return
    start = ctx.text.index(text, start)
    given = Given(text, start, start + len(text))
    target = ctx.drafts[-1] if len(ctx.drafts) > first_draft else ctx.draft("metric", start, given.end, line)
    ctx.set_value(target, "notes", given, "note")
