"""The chat logging language: messages -> typed entries in storage units (see docs/parser.md).

Pure domain code: no database, no Telegram, no clock. `parse_message` is the
entry point; the rest is exported for the bot and for tests.
"""

from fitness_core.parsing.entries import (
    Entry,
    ExerciseEntry,
    Ignored,
    MealEntry,
    MetricEntry,
    ParseError,
    ParseResult,
    Question,
    Span,
    WorkoutEntry,
    columns,
)
from fitness_core.parsing.message import parse_message
from fitness_core.parsing.render import render
from fitness_core.parsing.resolver import ExerciseResolver, Resolution, default_resolver
from fitness_core.parsing.serialize import entry_to_dict, result_to_dict

__all__ = [
    "Entry",
    "ExerciseEntry",
    "ExerciseResolver",
    "Ignored",
    "MealEntry",
    "MetricEntry",
    "ParseError",
    "ParseResult",
    "Question",
    "Resolution",
    "Span",
    "WorkoutEntry",
    "columns",
    "default_resolver",
    "entry_to_dict",
    "parse_message",
    "render",
    "result_to_dict",
]
