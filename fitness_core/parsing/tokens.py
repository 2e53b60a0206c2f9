"""Split one line of a message into tokens that keep their offsets.

Offsets always point into the original message, so every error and entry can
quote exactly what the person typed. Numbers carry an attached unit ("100kg",
"12p", "5k", "3x" of "3x5"); an attached "x" becomes its own token so that
"3x5x185" reads as 3 x 5 x 185.
"""

from __future__ import annotations

import re

from fitness_core.parsing.vocabulary import ALL_UNITS, X_SYMBOLS

NUM = "num"
CLOCK = "clock"
WORD = "word"
SYM = "sym"

_TOKEN = re.compile(
    r"""
    (?P<clock>\d{1,2}:\d{2}(?::\d{2})?)(?:\s?(?P<ampm>[ap]\.?m\.?)(?![^\W\d_]))?
    |(?P<num>(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d.,])|\d+(?:\.\d+)?|\.\d+)(?P<unit>[^\W\d_]+|%|")?
    |(?P<word>[^\W\d_]+(?:['’-][^\W\d_]+)*)
    |(?P<sym>\S)
    """,
    re.VERBOSE,
)


class Token:
    """One token; `text` is lowercased, `value` is set for numbers, `unit` for attached units."""

    __slots__ = ("kind", "text", "start", "end", "value", "unit", "key")

    def __init__(self, kind: str, text: str, start: int, end: int,
                 value: float | None = None, unit: str | None = None) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
        self.value = value
        self.unit = unit
        # the compact form keyword tables are keyed by: "post-workout" -> "postworkout"
        self.key = text.replace("-", "").replace("'", "").replace("’", "") if kind == WORD else text

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Token({self.kind}, {self.text!r}, {self.start}, {self.end}, {self.value}, {self.unit})"

    @property
    def is_x(self) -> bool:
        return self.kind == SYM and self.text == "x"


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Tokens of text[start:end]; spaces in that range are separators, nothing else is dropped."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        kind = match.lastgroup
        if kind == "word":
            word = match.group().lower()
            if word in X_SYMBOLS:
                tokens.append(Token(SYM, "x", match.start(), match.end()))
            else:
                tokens.append(Token(WORD, word, match.start(), match.end()))
        elif kind == "sym":
            sym = match.group()
            tokens.append(Token(SYM, "x" if sym in X_SYMBOLS else sym, match.start(), match.end()))
        elif kind == "num" or kind == "unit":
            _append_number(tokens, match)
        else:
            ampm = match.group("ampm")
            tokens.append(Token(CLOCK, match.group("clock"), match.start(), match.end(),
                                unit=ampm.replace(".", "").lower() if ampm else None))
    return tokens


def _append_number(tokens: list[Token], match: re.Match[str]) -> None:
    number = match.group("num")
    value = float(number.replace(",", ""))
    unit = match.group("unit")
    num_end = match.end("num")
    if unit is None:
        tokens.append(Token(NUM, number, match.start(), num_end, value))
        return
    unit = unit.lower()
    if unit in X_SYMBOLS:
        tokens.append(Token(NUM, number, match.start(), num_end, value))
        tokens.append(Token(SYM, "x", num_end, match.end()))
    elif unit[-1] == "x" and unit[:-1] in ALL_UNITS:
        tokens.append(Token(NUM, match.group()[:-1], match.start(), match.end() - 1, value, unit[:-1]))
        tokens.append(Token(SYM, "x", match.end() - 1, match.end()))
    else:
        tokens.append(Token(NUM, match.group(), match.start(), match.end(), value, unit))
