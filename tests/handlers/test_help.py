import datetime as dt
import re

import pytest

from fitness_core.parsing import parse_message
from handlers.account import HELP_SECTIONS, help_text

EXAMPLES = [example for _, examples in HELP_SECTIONS for example in examples]


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_help_example_logs_something_without_errors(example):
    result = parse_message(example, today=dt.date(2026, 11, 25))
    assert result.can_save, (example, result.errors, result.questions)


def test_help_shows_the_examples_escaped():
    shown = re.findall(r"<code>(.*?)</code>", help_text())
    assert shown[: len(EXAMPLES)] == EXAMPLES
