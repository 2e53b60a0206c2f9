"""The `fitbot parse` command, on a typer app built here from the command function."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from bot.cli_parse import parse


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("parse")(parse)
    return app


def _run(app, *args, stdin=None):
    result = CliRunner().invoke(app, ["parse", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_json_has_one_stable_document_per_message(app):
    out = _run(app, "--json", "--today", "2026-11-25", "bench 3x5 @ 185", "bf 180", "182")
    docs = [json.loads(line) for line in out.splitlines()]
    assert [list(doc) for doc in docs] == [["text", "date", "entries", "errors", "questions", "ignored"]] * 3
    bench, bad, bare = docs
    assert bench["entries"] == [{"kind": "exercise", "date": "2026-11-25", "span": "bench 3x5 @ 185",
                                 "exercise_name": "Barbell Bench Press - Medium Grip", "resolved": True,
                                 "sets": 3, "reps": 5, "weight_lbs": 185.0, "order_index": 0}]
    assert bad["entries"] == [] and bad["errors"][0]["span"] == "bf 180"
    assert "2-75 %" in bad["errors"][0]["message"]
    assert bare["questions"][0]["question"] == "Log weight 182 lb?"
    assert bare["questions"][0]["entry"]["weight_lbs"] == 182.0


def test_stdin_gives_one_document_per_line_in_metric_units(app):
    out = _run(app, "--json", "--units", "metric", "--today", "2026-11-25", "-",
               stdin="w 82.5\ndinner pasta at 7:30pm yesterday\n")
    weight, dinner = (json.loads(line) for line in out.splitlines())
    assert weight["entries"][0]["weight_lbs"] == 181.9
    assert dinner["date"] == "2026-11-24"
    assert dinner["entries"][0]["meal_time"] == "19:30"


def test_human_listing_shows_entries_pace_errors_and_chatter(app):
    out = _run(app, "--today", "2026-11-25", "ran 3.1 mi in 28:30", "blah blah", "leg day")
    assert "distance_miles=3.1" in out and "pace 9:12 /mi" in out
    assert "not understood" in out
    assert "(title)" in out


def test_a_bad_today_is_refused(app):
    result = CliRunner().invoke(app, ["parse", "--today", "25/11/2026", "weight 182"])
    assert result.exit_code != 0
