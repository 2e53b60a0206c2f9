"""Golden table: every row of CHAT_LANGUAGE.md and a few hundred real-world messages."""

from __future__ import annotations

import pytest
from parse_cases import CHAT_LANGUAGE, REALISTIC, TODAY, Ask, Err, Ignore, On

from fitness_core.parsing import columns, parse_message

_SEPARATELY_CHECKED = ("order_index", "resolved")


def _entry_view(entry, expected: dict) -> dict:
    view = columns(entry)
    for name in _SEPARATELY_CHECKED:
        if name not in expected:
            view.pop(name, None)
    return view


def _check(text: str, units: str, expected: tuple, resolver) -> None:
    result = parse_message(text, today=TODAY, units=units, resolver=resolver)
    want_entries = [item for item in expected if type(item) is tuple]
    assert len(result.entries) == len(want_entries), (result.entries, result.errors)
    got_entries = [(entry.kind, _entry_view(entry, want[1]))
                   for entry, want in zip(result.entries, want_entries, strict=True)]
    assert got_entries == want_entries, result.errors
    for entry, (kind, want) in zip(result.entries, want_entries, strict=True):
        if kind == "exercise" and "resolved" not in want:
            assert entry.resolved, entry
        assert entry.span.text and entry.span.text == text[entry.span.start:entry.span.end]

    want_errors = [item for item in expected if isinstance(item, Err)]
    messages = [(error.field, error.message) for error in result.errors]
    if not want_errors:
        assert not result.errors, messages
    for want in want_errors:
        assert any(field == want.field and want.contains.lower() in message.lower() for field, message in messages), (
            want, messages)
    for error in result.errors:
        assert error.span.text == text[error.span.start:error.span.end]
        if error.field is None and "not understood" in error.message:
            assert error.examples

    want_asks = [item for item in expected if isinstance(item, Ask)]
    assert [(q.text, columns(q.entry)) for q in result.questions] == [(a.text, a.columns) for a in want_asks]

    want_ignored = sorted(item.reason for item in expected if isinstance(item, Ignore))
    assert sorted(item.reason for item in result.ignored) == want_ignored, result.ignored

    dates = [item for item in expected if isinstance(item, On)]
    if dates:
        assert result.date.isoformat() == dates[0].date
    if not expected:
        assert result.nothing_to_log


@pytest.mark.parametrize(("text", "units", "expected"), CHAT_LANGUAGE, ids=[c[0] for c in CHAT_LANGUAGE])
def test_chat_language_row(text, units, expected, resolver):
    _check(text, units, expected, resolver)


@pytest.mark.parametrize(("text", "units", "expected"), REALISTIC,
                         ids=[f"{c[0]} [{c[1]}]" for c in REALISTIC])
def test_realistic_message(text, units, expected, resolver):
    _check(text, units, expected, resolver)


def test_the_realistic_table_is_large():
    assert len(REALISTIC) >= 200
    assert len({(text, units) for text, units, _ in REALISTIC}) == len(REALISTIC)
