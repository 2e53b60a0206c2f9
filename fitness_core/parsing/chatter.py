"""Words that are not a log at all: a greeting, a workout title, a note to self.

They are reported as ignored (nothing to log), which the bot answers
differently from text it could not understand ("blah blah"), where it shows
examples. Only number-free text can be chatter; a stray number is never
silently dropped.
"""

from __future__ import annotations

from fitness_core.parsing.vocabulary import GREETINGS, NOTE_WORDS, TITLE_TAIL_WORDS, TITLE_WORDS

_MAX_TITLE_WORDS = 5


def classify(words: list[str]) -> str | None:
    """ "greeting", "title", "note", or None when the words mean nothing we know."""
    if not words:
        return "empty"
    if words[0] in GREETINGS and all(word in GREETINGS or word in NOTE_WORDS for word in words):
        return "greeting"
    if all(word in TITLE_WORDS or len(word) == 1 for word in words) or (
            words[-1] in TITLE_TAIL_WORDS and len(words) <= _MAX_TITLE_WORDS):
        return "title"
    if any(word in NOTE_WORDS for word in words):
        return "note"
    return None
