"""Exercise clauses: a name and the numbers of what was done, in the orders people write them.

"bench 3x5 @ 185", "squat 5x5 100kg", "185x5x3", "3 sets of 10 pullups",
"bench 185x5, 185x5, 180x6", "plank 3x60s", "ran 3.1 mi in 28:30", "5k run 27:30".
The numbers are read into set groups (one exercise_logs row each; equal
neighbours merge, "185x5, 185x5" being 2x5); rpe, rest and form apply to the
whole clause. Where the numbers could mean two things, the reply asks for the
unambiguous form instead of picking one.
"""

from __future__ import annotations

from dataclasses import dataclass

from fitness_core.parsing.drafts import Context, Draft, Given
from fitness_core.parsing.examples import not_understood
from fitness_core.parsing.keywords import energy_at, starts_clause
from fitness_core.parsing.quantities import clock_seconds, distance_miles, read_duration, unit_at, weight_lbs
from fitness_core.parsing.resolver import Resolution
from fitness_core.parsing.tokens import CLOCK, NUM, SYM, WORD, Token
from fitness_core.parsing.vocabulary import (
    BODYWEIGHT_WORDS,
    DISTANCE_UNITS,
    EXERCISE_FILLER_WORDS,
    EXERCISE_NUMERIC_WORDS,
    EXERCISE_OPTION_WORDS,
    FUNCTION_WORDS,
    LOAD_WORDS,
    METRES_AMBIGUOUS_BELOW,
    MINUTES_M_SECONDS_PER_UNIT,
    NAME_DESCRIPTOR_WORDS,
    REPS_WORDS,
    SECONDS_PER_UNIT,
    SETS_AS_WEIGHT_ABOVE,
    SETS_WORDS,
    WEIGHT_UNITS,
)

_NAME_SYMBOLS = frozenset({"-", "(", ")", "/", "'", ",", "&", "."})
_NUMERIC_SYMBOLS = frozenset({"x", "@", ",", "/", "+", "#", '"', "-", "%"})
_SEPARATORS = frozenset({",", "/"})
_DANGLING = frozenset(EXERCISE_FILLER_WORDS | LOAD_WORDS | _SEPARATORS | {"-", "+", "x"})
"""Words that join numbers and mean nothing at the end of them."""
_ROW_FIELDS = ("sets", "reps", "weight_lbs", "duration_seconds", "distance_miles")


class _Unclear(Exception):
    """Numbers that cannot be read without guessing; carries the offsets and the reason."""

    def __init__(self, start: int, end: int, message: str) -> None:
        super().__init__(message)
        self.start, self.end, self.message = start, end, message


@dataclass(slots=True)
class _Group:
    """One set group in the making: "3x5 @ 185" or "185x6"."""

    start: int
    end: int
    sets: Given | None = None
    reps: Given | None = None
    weight_lbs: Given | None = None
    duration_seconds: Given | None = None
    distance_miles: Given | None = None
    bare_count: bool = False

    def add(self, column: str, given: Given) -> None:
        setattr(self, column, given)
        self.end = max(self.end, given.end)

    def only_weight(self) -> bool:
        return self.weight_lbs is not None and not any(
            getattr(self, name) for name in ("sets", "reps", "duration_seconds", "distance_miles"))

    def key(self) -> tuple:
        return tuple(None if getattr(self, name) is None else getattr(self, name).value for name in _ROW_FIELDS[1:])


def parse_exercise(ctx: Context, tokens: list[Token], i: int, line: int) -> int | None:
    """Parse an exercise clause at tokens[i]; None when there are only words here (left for small talk)."""
    prefix: list[Token] = []
    j = _collect_numbers(tokens, i, prefix, chains=True) if _numeric_start(tokens, i) else i
    name_start = j
    while j < len(tokens) and _is_name_token(tokens, j) and not (j > name_start and starts_clause(tokens, j)):
        j += 1
    name_tokens = _trim(tokens[name_start:j])
    if j < len(tokens) and tokens[j].text == ":":
        j += 1
    suffix: list[Token] = []
    j = _collect_numbers(tokens, j, suffix, chains=not prefix)
    numbers = prefix + suffix
    if not any(token.kind in (NUM, CLOCK) for token in numbers):
        return None
    start, end = tokens[i].start, tokens[j - 1].end
    if not name_tokens:
        ctx.error(start, end, f"{ctx.text[start:end]!r}: which exercise? e.g. \"bench 3x5 @ 185\"")
        return j
    resolution = _resolve(ctx, name_tokens)
    if not resolution.resolved and any(token.text in FUNCTION_WORDS for token in name_tokens):
        not_understood(ctx, start, end)
        return j
    draft = Draft("exercise", start, end, line, resolution=resolution)
    draft.values["exercise_name"] = Given(resolution.name, name_tokens[0].start, name_tokens[-1].end)
    try:
        _read_numbers(ctx, draft, numbers, resolution)
    except _Unclear as unclear:
        ctx.error(unclear.start, unclear.end, unclear.message)
        return j
    ctx.drafts.append(draft)
    return j


def parse_options(ctx: Context, tokens: list[Token], i: int, line: int) -> int | None:
    """ "rest 90s" or "form 7" on their own: they belong to the lift before them in the message."""
    if tokens[i].text not in EXERCISE_OPTION_WORDS or i + 1 >= len(tokens) or tokens[i + 1].kind not in (NUM, CLOCK):
        return None
    numbers: list[Token] = []
    j = _collect_numbers(tokens, i, numbers, chains=False)
    lifts = [draft for draft in ctx.drafts if draft.kind == "exercise"]
    start, end = tokens[i].start, tokens[j - 1].end
    if not lifts:
        ctx.error(start, end, f"{ctx.text[start:end]!r}: after which lift? e.g. \"bench 3x5 @ 185 rest 90s\"")
        return j
    try:
        _read_numbers(ctx, lifts[-1], numbers, lifts[-1].resolution, options_only=True)
    except _Unclear as unclear:
        ctx.error(unclear.start, unclear.end, unclear.message)
    return j


def _resolve(ctx: Context, name_tokens: list[Token]) -> Resolution:
    name = ctx.text[name_tokens[0].start:name_tokens[-1].end]
    resolution = ctx.resolver.resolve(name)
    if resolution.resolved:
        return resolution
    core = [token.text for token in name_tokens if token.kind == WORD and token.text not in NAME_DESCRIPTOR_WORDS]
    if core and len(core) < sum(token.kind == WORD for token in name_tokens):
        stripped = ctx.resolver.resolve(" ".join(core))
        if stripped.resolved:
            return stripped
    return resolution


def _numeric_start(tokens: list[Token], i: int) -> bool:
    token = tokens[i]
    return token.kind in (NUM, CLOCK) or ((token.is_x or token.text in LOAD_WORDS) and i + 1 < len(tokens)
                                          and tokens[i + 1].kind == NUM)


def _is_name_token(tokens: list[Token], j: int) -> bool:
    token = tokens[j]
    if _numeric_start(tokens, j):
        return False
    return token.kind == WORD or (token.kind == SYM and token.text in _NAME_SYMBOLS)


def _rpe_after(tokens: list[Token], k: int) -> bool:
    """ "8 rpe" (the number before the word), not the "185" of "@ 185 rpe 8"."""
    if tokens[k].unit == "rpe":
        return True
    return (k + 1 < len(tokens) and tokens[k + 1].text == "rpe"
            and not (k + 2 < len(tokens) and tokens[k + 2].kind == NUM))


def _trim(name_tokens: list[Token]) -> list[Token]:
    while name_tokens and name_tokens[-1].kind == SYM:
        name_tokens = name_tokens[:-1]
    while name_tokens and name_tokens[0].kind == SYM:
        name_tokens = name_tokens[1:]
    return name_tokens


def _starts_chain(tokens: list[Token], j: int) -> bool:
    return (tokens[j].kind == NUM and j + 1 < len(tokens) and tokens[j + 1].is_x) or (
        tokens[j].is_x and j + 1 < len(tokens) and tokens[j + 1].kind == NUM)


def _collect_numbers(tokens: list[Token], j: int, out: list[Token], *, chains: bool) -> int:
    """Append the numbers (and their unit and option words) starting at j; returns where they end."""
    while j < len(tokens):
        token = tokens[j]
        numeric = (token.kind in (NUM, CLOCK) or (token.kind == SYM and token.text in _NUMERIC_SYMBOLS)
                   or (token.kind == WORD and token.text in EXERCISE_NUMERIC_WORDS))
        ends = out and starts_clause(tokens, j) and not energy_at(tokens, j)
        if not numeric or ends or (not chains and _starts_chain(tokens, j)):
            break
        out.append(token)
        j += 1
    while out and out[-1].text in _DANGLING:
        out.pop()
        j -= 1
    return j


class _Reader:
    """Walks the number tokens of one clause, building set groups and clause-wide options."""

    def __init__(self, ctx: Context, draft: Draft, tokens: list[Token], resolution: Resolution) -> None:
        self.ctx = ctx
        self.draft = draft
        self.tokens = tokens
        self.cardio = resolution.cardio
        self.groups: list[_Group] = []
        self.after_separator = False

    @property
    def current(self) -> _Group | None:
        return self.groups[-1] if self.groups else None

    def new_group(self, start: int) -> _Group:
        group = _Group(start, start)
        self.groups.append(group)
        return group

    def place(self, column: str, given: Given) -> None:
        """Put a value on the current group, or start a new group if it already has one."""
        group = self.current
        if group is None or getattr(group, column) is not None:
            group = self.new_group(given.start)
        group.add(column, given)

    def unclear(self, k: int, message: str) -> _Unclear:
        token = self.tokens[k]
        return _Unclear(token.start, token.end, f"{self.ctx.text[token.start:token.end]!r}: {message}")


def _read_numbers(ctx: Context, draft: Draft, tokens: list[Token], resolution: Resolution, *,
                  options_only: bool = False) -> None:
    reader = _Reader(ctx, draft, tokens, resolution)
    k = 0
    while k < len(tokens):
        k = _step(reader, k)
    if options_only:
        if reader.groups:
            raise reader.unclear(0, "only rest, form or rpe can follow on their own line")
        return
    rows = _rows(reader, resolution)
    draft.rows.extend(rows)


def _step(reader: _Reader, k: int) -> int:
    tokens = reader.tokens
    token = tokens[k]
    text = token.text
    if token.kind == SYM and text in _SEPARATORS:
        reader.after_separator = True
        return k + 1
    if token.kind != NUM and token.kind != CLOCK and (text in EXERCISE_FILLER_WORDS or text in ("+", "-", "#")
                                                      or text in BODYWEIGHT_WORDS):
        return k + 1
    if text in EXERCISE_OPTION_WORDS:
        return _option(reader, EXERCISE_OPTION_WORDS[text], k + 1)
    if text in LOAD_WORDS:
        return _load(reader, k + 1)
    if _starts_chain(tokens, k):
        return _chain(reader, k)
    if token.kind not in (NUM, CLOCK):
        raise reader.unclear(k, "not understood here")
    nxt = _unit_number(reader, k) if token.kind == NUM else _clock(reader, k)
    reader.after_separator = False
    return nxt


def _option(reader: _Reader, column: str, k: int) -> int:
    tokens = reader.tokens
    if k < len(tokens) and tokens[k].text == ":":
        k += 1
    if k >= len(tokens) or tokens[k].kind not in (NUM, CLOCK):
        raise reader.unclear(k - 1, "needs a number")
    if column == "rest_seconds":
        seconds, nxt = read_duration(tokens, k, bare_unit="s")
        if seconds is None:
            raise reader.unclear(k, "rest needs a duration, e.g. \"rest 90s\"")
        reader.ctx.set_value(reader.draft, column, Given(seconds, tokens[k - 1].start, tokens[nxt - 1].end), "rest")
        return nxt
    value = tokens[k]
    reader.ctx.set_value(reader.draft, column, Given(value.value, tokens[k - 1].start, value.end), column)
    return k + 1


def _load(reader: _Reader, k: int) -> int:
    """ "@ 185", "at 100kg", "@ rpe 8"."""
    tokens = reader.tokens
    if k < len(tokens) and tokens[k].text in EXERCISE_OPTION_WORDS:
        return _option(reader, EXERCISE_OPTION_WORDS[tokens[k].text], k + 1)
    if k >= len(tokens) or tokens[k].kind != NUM:
        raise reader.unclear(k - 1, "needs a weight after it, e.g. \"@ 185\"")
    if _rpe_after(tokens, k):
        return _unit_number(reader, k)
    unit, nxt = unit_at(tokens, k, WEIGHT_UNITS)
    if unit == "?":
        raise reader.unclear(k, "is not a weight (lb or kg)")
    _weight(reader, k, unit, nxt)
    return nxt


def _weight(reader: _Reader, k: int, unit: str | None, nxt: int) -> None:
    tokens = reader.tokens
    given = Given(weight_lbs(tokens[k].value, unit, reader.ctx.units), tokens[k].start, tokens[nxt - 1].end)
    group = reader.current
    if group is not None and group.weight_lbs is None and not reader.after_separator:
        group.add("weight_lbs", given)
    else:
        reader.new_group(given.start).add("weight_lbs", given)


def _chain(reader: _Reader, k: int) -> int:
    """ "3x5", "185x5", "3x5x185", "185x5x3", "3x60s", "x10"."""
    tokens = reader.tokens
    start = tokens[k].start
    links: list[tuple[Token, str | None]] = []
    if tokens[k].is_x:
        k += 1
        links.append((None, None))
    while k < len(tokens) and tokens[k].kind in (NUM, CLOCK):
        token = tokens[k]
        unit, nxt = (None, k + 1) if token.kind == CLOCK else _chain_unit(tokens, k)
        links.append((token, "clock" if token.kind == CLOCK else unit))
        k = nxt
        if not (k + 1 < len(tokens) and tokens[k].is_x and tokens[k + 1].kind in (NUM, CLOCK)):
            break
        k += 1
    if len(links) < 2:  # an "x" with no number after it, or a lone number the tokenizer chained
        raise _Unclear(start, tokens[k - 1].end, "write sets x reps, e.g. 3x5 or 3x5 @ 185")
    if len(links) > 3:
        raise _Unclear(start, tokens[k - 1].end, f"{reader.ctx.text[start:tokens[k - 1].end]!r}: "
                                                 "too many numbers; write sets x reps @ weight")
    pending = reader.current if reader.current is not None and reader.current.only_weight() else None
    group = pending or (reader.current if links[0][0] is None else None) or reader.new_group(start)
    reader.after_separator = False
    _fill_chain(reader, group, links, _weight_follows(reader, k) or pending is not None)
    return k


def _chain_unit(tokens: list[Token], k: int) -> tuple[str | None, int]:
    token = tokens[k]
    if token.unit is not None:
        return token.unit, k + 1
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if nxt is not None and nxt.kind in (WORD, SYM) and (
            nxt.text in WEIGHT_UNITS or nxt.text in SECONDS_PER_UNIT or nxt.text in DISTANCE_UNITS
            or nxt.text in REPS_WORDS or nxt.text in SETS_WORDS):
        return nxt.text, k + 2
    return None, k + 1


def _weight_follows(reader: _Reader, k: int) -> bool:
    """Whether a load comes after a chain ("3x5 @ 185", "3x5 185", "3x5 100kg"), making it sets x reps."""
    tokens = reader.tokens
    if k >= len(tokens):
        return False
    token = tokens[k]
    if token.text in LOAD_WORDS:
        return True
    if token.kind != NUM:
        return False
    return token.unit in WEIGHT_UNITS or (token.unit is None and not reader.cardio)


def _fill_chain(reader: _Reader, group: _Group, links: list, load_follows: bool) -> None:
    ctx = reader.ctx
    kinds = [_kind(unit) for _, unit in links]

    def given(index: int, value=None) -> Given:
        token = links[index][0]
        return Given(token.value if value is None else value, token.start, token.end)

    def as_weight(index: int) -> Given:
        token, unit = links[index]
        return Given(weight_lbs(token.value, WEIGHT_UNITS.get(unit), ctx.units), token.start, token.end)

    if links[0][0] is None:  # "x10"
        reader.place("reps", given(1))
        return
    if len(links) == 3:
        if any(kind not in (None, "weight") for kind in kinds):
            raise _Unclear(links[0][0].start, links[2][0].end, "write sets x reps @ weight, e.g. 3x5 @ 185")
        first, last = links[0][0].value, links[2][0].value
        if kinds[0] == "weight" or (kinds[2] is None and kinds[0] is None and first > last):
            group.add("weight_lbs", as_weight(0))
            group.add("reps", given(1))
            group.add("sets", given(2))
        elif kinds[2] == "weight" or (kinds[0] is None and first < last):
            group.add("sets", given(0))
            group.add("reps", given(1))
            group.add("weight_lbs", as_weight(2))
        else:
            raise _Unclear(links[0][0].start, links[2][0].end, "which is the weight? write sets x reps @ weight")
        return
    second_kind = kinds[1]
    if kinds[0] == "weight":
        group.add("weight_lbs", as_weight(0))
        group.add("reps", given(1))
    elif second_kind == "duration":
        group.add("sets", given(0))
        _duration(reader, group, links[1][0], links[1][1])
    elif second_kind == "distance":  # intervals and carries: "6x400m", "3x40m"
        group.add("sets", given(0))
        _distance(reader, group, links[1][0], links[1][1], short_metres=True)
    elif second_kind == "weight":
        raise _Unclear(links[0][0].start, links[1][0].end, "sets or reps? write 3x5 @ 100kg")
    elif kinds[0] == "sets" or second_kind == "reps" or load_follows or links[0][0].value <= SETS_AS_WEIGHT_ABOVE:
        group.add("sets", given(0))
        group.add("reps", given(1))
    else:
        group.add("weight_lbs", as_weight(0))
        group.add("reps", given(1))


def _kind(unit: str | None) -> str | None:
    if unit is None:
        return None
    if unit == "clock" or unit in SECONDS_PER_UNIT:
        return "duration"
    if unit in DISTANCE_UNITS:
        return "distance"
    if unit in WEIGHT_UNITS:
        return "weight"
    if unit in REPS_WORDS:
        return "reps"
    if unit in SETS_WORDS:
        return "sets"
    return "other"


def _duration(reader: _Reader, group: _Group, token: Token, unit: str | None) -> None:
    seconds = clock_seconds(token.text) if token.kind == CLOCK else token.value * SECONDS_PER_UNIT[unit]
    group.add("duration_seconds", Given(seconds, token.start, token.end))


def _distance(reader: _Reader, group: _Group, token: Token, unit: str | None, short_metres: bool = False) -> None:
    if DISTANCE_UNITS.get(unit) == "m" and token.value < METRES_AMBIGUOUS_BELOW and not short_metres:
        raise _Unclear(token.start, token.end, f"{reader.ctx.text[token.start:token.end]!r}: minutes or metres? "
                                               f"write {token.value:g} min or {token.value:g} metres")
    miles = distance_miles(token.value, unit, reader.ctx.units)
    group.add("distance_miles", Given(miles, token.start, token.end))


def _clock(reader: _Reader, k: int) -> int:
    token = reader.tokens[k]
    group = reader.current
    if group is None or group.duration_seconds is not None:
        group = reader.new_group(token.start)
    _duration(reader, group, token, None)
    return k + 1


def _unit_number(reader: _Reader, k: int) -> int:
    tokens = reader.tokens
    token = tokens[k]
    if energy_at(tokens, k):
        raise reader.unclear(k, "calories burned are not tracked; meals are logged with a meal word, "
                                "e.g. \"snack 200 kcal\"")
    unit, nxt = _chain_unit(tokens, k)
    if _rpe_after(tokens, k):
        nxt = nxt + 1 if unit is None else nxt
        reader.ctx.set_value(reader.draft, "rpe", Given(token.value, token.start, tokens[nxt - 1].end), "rpe")
        return nxt
    kind = _kind(unit)
    if kind == "weight":
        _weight(reader, k, WEIGHT_UNITS[unit], nxt)
    elif kind == "duration":
        seconds, nxt = read_duration(tokens, k, bare_unit=None, table=MINUTES_M_SECONDS_PER_UNIT)
        reader.place("duration_seconds", Given(seconds, token.start, tokens[nxt - 1].end))
    elif kind == "distance":
        group = reader.current
        if group is None or group.distance_miles is not None:
            group = reader.new_group(token.start)
        _distance(reader, group, token, unit)
    elif kind in ("sets", "reps"):
        reader.place(kind, Given(token.value, token.start, tokens[nxt - 1].end))
    elif kind == "other":
        raise reader.unclear(k, "unknown unit here")
    else:
        _bare(reader, k)
    return nxt


def _bare(reader: _Reader, k: int) -> None:
    """A number with no unit: its meaning comes from what is already known about the group."""
    token = reader.tokens[k]
    given = Given(token.value, token.start, token.end)
    group = reader.current
    if k + 1 < len(reader.tokens) and reader.tokens[k + 1].text == "for":  # "185 for 5"
        reader.new_group(token.start).add("weight_lbs", Given(weight_lbs(token.value, None, reader.ctx.units),
                                                              token.start, token.end))
    elif reader.cardio and (group is None or (group.distance_miles is None and group.reps is None)):
        _distance(reader, group or reader.new_group(token.start), token, None)
    elif group is None:
        reader.new_group(token.start).add("reps", given)
        reader.groups[-1].bare_count = True
    elif group.reps is None and (group.weight_lbs is not None or group.sets is not None):
        group.add("reps", given)
    elif group.reps is not None and group.weight_lbs is None and not group.bare_count and not reader.after_separator:
        group.add("weight_lbs", Given(weight_lbs(token.value, None, reader.ctx.units), token.start, token.end))
    elif group.bare_count or (reader.after_separator and group.weight_lbs is not None and group.sets is None):
        follow = reader.new_group(token.start)
        follow.add("reps", given)
        follow.bare_count = group.bare_count
        if group.weight_lbs is not None and not group.bare_count:
            follow.weight_lbs = group.weight_lbs
    else:
        raise reader.unclear(k, "what does this number count? e.g. \"bench 3x5 @ 185\"")


def _rows(reader: _Reader, resolution: Resolution) -> list[dict[str, Given]]:
    """Finish the groups: one set by default, reps required for a lift, equal neighbours merged."""
    rows: list[dict[str, Given]] = []
    previous: _Group | None = None
    for group in reader.groups:
        span = reader.ctx.text[group.start:group.end]
        if group.only_weight():
            raise _Unclear(group.start, group.end, f"{span!r}: how many reps? e.g. \"{span}x5\" or \"3x5 @ {span}\"")
        if group.bare_count and not resolution.bodyweight:
            raise _Unclear(group.start, group.end, f"{span!r}: reps or weight? write \"1x{span}\" for reps or "
                                                   f"\"{span}x5\" for a weight")
        if group.sets is None and not (reader.cardio and group.reps is None):
            group.sets = Given(1, group.start, group.end)
        if previous is not None and previous.key() == group.key() and previous.sets is not None:
            merged = previous.sets.value + group.sets.value
            previous.sets = Given(merged, previous.sets.start, group.end)
            rows[-1]["sets"] = previous.sets
            continue
        rows.append({name: getattr(group, name) for name in _ROW_FIELDS if getattr(group, name) is not None})
        previous = group
    return rows
