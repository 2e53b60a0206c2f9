"""The closest example messages, shown when a message is not understood.

difflib over a fixed list of ~30 short examples is cheap enough for the rare
message that needs it, and a cache makes a repeated typo free.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from fitness_core.parsing.drafts import Context
from fitness_core.parsing.vocabulary import EXAMPLE_COUNT, EXAMPLES

_CUTOFF = 0.3
_MAX_QUERY = 80


@lru_cache(maxsize=1024)
def closest_examples(text: str) -> tuple[str, ...]:
    query = " ".join(text.lower().split())[:_MAX_QUERY]
    found = difflib.get_close_matches(query, EXAMPLES, n=EXAMPLE_COUNT, cutoff=_CUTOFF)
    return tuple(found) or EXAMPLES[:EXAMPLE_COUNT]


def not_understood(ctx: Context, start: int, end: int) -> None:
    quoted = ctx.text[start:end]
    examples = closest_examples(quoted)
    ctx.error(start, end, f"{quoted!r} was not understood, so nothing was logged. Try e.g. "
                          + "; ".join(f'"{example}"' for example in examples), examples=examples)
