"""`fitbot parse`: show what a chat message would log, without logging it.

Registered in bot/cli.py as `app.command("parse")(parse)`. The parser itself
is pure; this is the one place that reads the clock (for the default --today)
and standard input.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Annotated

import typer

from fitness_core import formatting
from fitness_core.parsing import ParseResult, columns, default_resolver, parse_message, result_to_dict
from fitness_core.units import UnitSystem


def parse(
    texts: Annotated[list[str], typer.Argument(help="Messages to parse; '-' reads one message per line from stdin.")],
    units: Annotated[UnitSystem, typer.Option("--units", help="The person's unit setting.")] = UnitSystem.IMPERIAL,
    today: Annotated[str | None, typer.Option("--today", help="The day they are sent (YYYY-MM-DD).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="One JSON document per message and line.")] = False,
) -> None:
    """Show what each message would log: entries, errors, questions."""
    day = _day(today)
    resolver = default_resolver()
    for text in _messages(texts):
        result = parse_message(text, today=day, units=units, resolver=resolver)
        if json_output:
            typer.echo(json.dumps(result_to_dict(result), ensure_ascii=False))
        else:
            typer.echo(_listing(result, units))


def _day(today: str | None) -> dt.date:
    if today is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(today)
    except ValueError as exc:
        raise typer.BadParameter(f"{today!r} is not a date like 2026-11-25", param_hint="--today") from exc


def _messages(texts: list[str]):
    for text in texts:
        if text == "-":
            yield from (line.rstrip("\r\n") for line in sys.stdin if line.strip())
        else:
            yield text


def _listing(result: ParseResult, units: UnitSystem) -> str:
    lines = [f"{result.text!r} ({result.date.isoformat()})"]
    for entry in result.entries:
        values = " ".join(f"{name}={_shown(value)}" for name, value in columns(entry).items())
        day = "" if entry.date == result.date else f" [{entry.date.isoformat()}]"
        lines.append(f"  {entry.kind:<8} {values}{day}")
        if entry.kind == "exercise" and entry.duration_seconds and entry.distance_miles:
            lines.append(f"  {'':<8} pace {formatting.pace(entry.duration_seconds, entry.distance_miles, units)}")
    lines.extend(f"  error    {error.span.text!r}: {error.message}" for error in result.errors)
    lines.extend(f"  ask      {question.text}" for question in result.questions)
    lines.extend(f"  ignored  {item.span.text!r} ({item.reason})" for item in result.ignored)
    if result.nothing_to_log and not result.ignored:
        lines.append("  nothing to log")
    return "\n".join(lines)


def _shown(value: object) -> str:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return repr(value) if isinstance(value, str) else str(value)
