"""How a coach describes a session in words: `/session sam 45min topics: ... | actions: ... | next: dec 2`.

Pure: text and today's date in, a SessionDraft (CoachingSession's column names)
out, or a CoachingError saying what to write instead. The guided /session
conversation reads each answer with the same FIELDS, so both forms accept the
same words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from fitness_core import ranges
from fitness_core.parsing.dates import calendar_date, nearest_month_day, weekday_from
from fitness_core.parsing.vocabulary import MONTHS, RELATIVE_DAYS, WEEKDAYS
from fitness_core.services.coaching import CoachingError

MAX_ACTION_ITEMS = 10  # each one becomes a message with a button in the client's chat
MAX_TOPIC_CHARS = 100  # the column is VARCHAR(100)


@dataclass(frozen=True)
class SessionDraft:
    """A coaching session being described, in the CoachingSession column names."""

    session_date: dt.date
    duration_minutes: int | None = None
    topics: tuple[str, ...] = ()
    discussion_notes: str | None = None
    coach_feedback: str | None = None
    action_items: tuple[str, ...] = ()
    next_session_date: dt.date | None = None

    def checked(self) -> SessionDraft:
        if self.next_session_date is not None and self.next_session_date <= self.session_date:
            raise CoachingError("The next session has to come after this one.")
        return self


_DATE_HELP = "try today, yesterday, nov 24, 2026-11-24, mon or in 2 weeks"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH_DAY = re.compile(
    r"^(?:([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?)(?:,?\s+(\d{4}))?$"
)
_WEEKDAY = re.compile(r"^(?:(next|this|last)\s+)?([a-z]+)$")
_IN_DAYS = re.compile(r"^in\s+(\d{1,3})\s+(day|days|week|weeks)$")
_AGO = re.compile(r"^(\d{1,3})\s+(day|days|week|weeks)\s+ago$")


def parse_day(text: str, today: dt.date, *, ahead: bool) -> dt.date:
    """A date for a session: `ahead` reads "dec 2" and "mon" as the next one (a next session), else the last one."""
    phrase = " ".join(text.lower().removeprefix("on ").split())
    day = _read_day(phrase, today, ahead)
    if day is None:
        raise CoachingError(f"I couldn't read the date “{text.strip()}”: {_DATE_HELP}.")
    if not ahead and day > today:
        raise CoachingError(f"{day:%b %-d} is in the future: a session is recorded once it happened.")
    return day


def _read_day(phrase: str, today: dt.date, ahead: bool) -> dt.date | None:
    if phrase in RELATIVE_DAYS:
        return today + dt.timedelta(days=RELATIVE_DAYS[phrase])
    for pattern, sign in ((_IN_DAYS, 1), (_AGO, -1)):
        if match := pattern.match(phrase):
            days = int(match[1]) * (7 if match[2].startswith("week") else 1)
            return today + dt.timedelta(days=sign * days)
    if match := _ISO.match(phrase):
        return calendar_date(int(match[1]), int(match[2]), int(match[3]))
    if (match := _WEEKDAY.match(phrase)) and match[2] in WEEKDAYS:
        # A session "mon" on a Monday is today; a next one is a week on.
        return weekday_from(
            WEEKDAYS[match[2]], today, ahead=ahead or match[1] == "next", strict=match[1] in ("next", "last")
        )
    if (match := _MONTH_DAY.match(phrase)) and (match[1] or match[4]) in MONTHS:
        month, day = MONTHS[match[1] or match[4]], int(match[2] or match[3])
        return (
            calendar_date(int(match[5]), month, day) if match[5] else nearest_month_day(month, day, today, ahead=ahead)
        )
    return None


_DURATION = re.compile(
    r"^(?:(?P<hours>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours)\s*)?"
    r"(?:(?P<minutes>\d+)\s*(?:m|min|mins|minute|minutes)?)?$"
)
_DURATION_IN_TEXT = re.compile(
    r"(?<!\S)(?:\d+(?:\.\d+)?\s*(?:h|hr|hrs|hour|hours)(?:\s*\d+\s*(?:m|min|mins|minutes)?)?"
    r"|\d+\s*(?:m|min|mins|minute|minutes))(?!\S)"
)


def parse_duration(text: str) -> int:
    """Minutes from "45", "45min", "1h", "1h30" or "1.5 hours"."""
    match = _DURATION.match(text.strip().lower())
    if match is None or not (match["hours"] or match["minutes"]):
        raise CoachingError(f"I couldn't read the duration “{text.strip()}”: try 45min, 1h or 1h30.")
    minutes = round(float(match["hours"] or 0) * 60) + int(match["minutes"] or 0)
    bounds = ranges.COACHING_SESSIONS["duration_minutes"]
    if not bounds.contains(minutes):
        raise CoachingError(f"A session lasts {bounds.describe()}, not {minutes} min.")
    return minutes


def _items(text: str, separators: str) -> tuple[str, ...]:
    """Non-empty entries of a list, without the bullets or numbers people put in front."""
    parts = re.split(f"[{separators}]", text)
    return tuple(item for part in parts if (item := re.sub(r"^\s*(?:[-*•]|\d+[.)](?=\s))\s*", "", part).strip()))


def parse_topics(text: str) -> tuple[str, ...]:
    topics = _items(text, ",\n")
    too_long = next((topic for topic in topics if len(topic) > MAX_TOPIC_CHARS), None)
    if too_long is not None:
        raise CoachingError(f"A topic is a few words (at most {MAX_TOPIC_CHARS} characters): “{too_long[:40]}…”")
    return topics


def parse_actions(text: str) -> tuple[str, ...]:
    """One action item per line, or separated by ";" on one line."""
    items = _items(text, ";\n")
    if len(items) > MAX_ACTION_ITEMS:
        raise CoachingError(f"At most {MAX_ACTION_ITEMS} action items per session (you sent {len(items)}).")
    return items


def _text(text: str) -> str | None:
    return text.strip() or None


def _undated(parse: Callable[[str], object]) -> Callable[[str, dt.date], object]:
    """A field reader that does not need today, in the shape every field reader has."""
    return lambda text, _today: parse(text)


@dataclass(frozen=True)
class Field:
    """One part of a session: the word that names it on one line, its column, how to read it."""

    key: str
    attribute: str
    parse: Callable[[str, dt.date], object]


FIELDS: dict[str, Field] = {
    field.key: field
    for field in (
        Field("date", "session_date", lambda text, today: parse_day(text, today, ahead=False)),
        Field("duration", "duration_minutes", _undated(parse_duration)),
        Field("topics", "topics", _undated(parse_topics)),
        Field("notes", "discussion_notes", _undated(_text)),
        Field("feedback", "coach_feedback", _undated(_text)),
        Field("actions", "action_items", _undated(parse_actions)),
        Field("next", "next_session_date", lambda text, today: parse_day(text, today, ahead=True)),
    )
}
_KEY_WORDS = {
    **{key: key for key in FIELDS},
    "topic": "topics",
    "note": "notes",
    "action": "actions",
    "todo": "actions",
}
_KEY = re.compile(rf"(?<![\w])({'|'.join(sorted(_KEY_WORDS, key=len, reverse=True))})\s*:", re.IGNORECASE)


def apply_field(draft: SessionDraft, key: str, text: str, today: dt.date) -> SessionDraft:
    """The draft with one part set from what the coach typed (the guided conversation and the one line share this)."""
    field = FIELDS[key]
    return replace(draft, **{field.attribute: field.parse(text, today)})


def parse_session_line(text: str, today: dt.date) -> SessionDraft:
    """The one-line form, after the client's name:

        [date] [duration] [key: value] [| key: value] ...

    Keys: date, duration, topics (comma-separated), notes, feedback, actions (separated
    by ";"), next (the next session's date). Parts are separated by "|", so a value may
    hold any other character. A date and a duration with its unit (45min, 1h) may also
    come first without a key. Missing parts stay empty; the date defaults to today.
    """
    first, *rest = text.split("|")
    found = _KEY.search(first)
    head, keyed = (first[: found.start()], [first[found.start() :], *rest]) if found else (first, rest)
    draft, seen = _apply_head(SessionDraft(session_date=today), head, today)
    for part in keyed:
        match = _KEY.match(part.strip())
        if match is None:
            raise CoachingError(f"After “|” comes a key and a colon ({', '.join(FIELDS)}), not “{part.strip()}”.")
        key = _KEY_WORDS[match[1].lower()]
        if key in seen:
            raise CoachingError(f"“{key}:” appears twice.")
        seen.add(key)
        draft = apply_field(draft, key, part.strip()[match.end() :], today)
    return draft.checked()


def _apply_head(draft: SessionDraft, head: str, today: dt.date) -> tuple[SessionDraft, set[str]]:
    """The words before the first key: a duration with its unit, and/or a date; also which keys they set."""
    given = set()
    duration = _DURATION_IN_TEXT.search(head)
    if duration is not None:
        draft, given = replace(draft, duration_minutes=parse_duration(duration[0])), {"duration"}
        head = head[: duration.start()] + head[duration.end() :]
    if head.strip():
        try:
            draft, given = apply_field(draft, "date", head, today), given | {"date"}
        except CoachingError as error:
            raise CoachingError(
                f"{error} Before the first key only a date and a duration may come (“nov 24 45min”); "
                "everything else goes after a key, e.g. “notes: ...”. See /session help."
            ) from error
    return draft, given
