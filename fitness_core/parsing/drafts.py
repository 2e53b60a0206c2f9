"""The mutable working state of one parse, before validation freezes it into entries.

Clause parsers only record what was typed (values in storage units with the
offsets they came from); a later line can still add to an earlier draft ("rest
90s" after a lift, a note after " -- "). Validation then checks every value
against the ranges in one place and builds the frozen entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from fitness_core.parsing.entries import Ignored, ParseError, Question, Span
from fitness_core.parsing.resolver import ExerciseResolver, Resolution
from fitness_core.units import UnitSystem


class Given(NamedTuple):
    """A value as typed, converted to storage units, with the offsets of its text."""

    value: object
    start: int
    end: int


@dataclass(slots=True)
class Draft:
    """One entry in the making; exercise drafts keep one row per distinct set group."""

    kind: str
    start: int
    end: int
    line: int
    values: dict[str, Given] = field(default_factory=dict)
    rows: list[dict[str, Given]] = field(default_factory=list)
    resolution: Resolution | None = None
    date: dt.date | None = None


@dataclass(slots=True)
class Context:
    """What every clause parser reads (the text, today, units, resolver) and writes (drafts, findings)."""

    text: str
    today: dt.date
    units: UnitSystem
    resolver: ExerciseResolver
    drafts: list[Draft] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    asks: list[tuple[str, Draft]] = field(default_factory=list)
    """Questions in the making: their text and the draft a "Yes" would log."""

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def error(self, start: int, end: int, message: str, field: str | None = None,
              examples: tuple[str, ...] = ()) -> None:
        self.errors.append(ParseError(self.span(start, end), message, field, examples))

    def draft(self, kind: str, start: int, end: int, line: int) -> Draft:
        draft = Draft(kind, start, end, line)
        self.drafts.append(draft)
        return draft

    def set_value(self, draft: Draft, column: str, given: Given, label: str | None = None) -> None:
        """Record a value; the same column typed twice in one entry is an error, not a silent overwrite."""
        if column in draft.values and draft.values[column].value != given.value:
            self.error(given.start, given.end, f"{label or column} is given twice", column)
            return
        draft.values[column] = given
        draft.end = max(draft.end, given.end)
