"""ParseResult -> plain JSON-ready dicts, in a stable key order.

The CLI prints these and the bot reuses them (logging, debugging, tests), so
the shape is fixed: entries are {"kind", "date", "span", <columns given>},
with dates as ISO text and meal times as "HH:MM". Columns not given are left
out rather than written as null.
"""

from __future__ import annotations

import datetime as dt

from fitness_core.parsing.entries import Entry, ParseError, ParseResult, columns


def _plain(value: object) -> object:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def entry_to_dict(entry: Entry) -> dict[str, object]:
    head = {"kind": entry.kind, "date": entry.date.isoformat(), "span": entry.span.text}
    return head | {name: _plain(value) for name, value in columns(entry).items()}


def error_to_dict(error: ParseError) -> dict[str, object]:
    return {"span": error.span.text, "start": error.span.start, "end": error.span.end,
            "message": error.message, "field": error.field, "examples": list(error.examples)}


def result_to_dict(result: ParseResult) -> dict[str, object]:
    return {
        "text": result.text,
        "date": result.date.isoformat(),
        "entries": [entry_to_dict(entry) for entry in result.entries],
        "errors": [error_to_dict(error) for error in result.errors],
        "questions": [{"span": q.span.text, "question": q.text, "entry": entry_to_dict(q.entry)}
                      for q in result.questions],
        "ignored": [{"span": item.span.text, "reason": item.reason} for item in result.ignored],
    }
