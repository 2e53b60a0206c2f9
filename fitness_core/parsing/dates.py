"""Date phrases in a message -> the date they mean, relative to a given today.

The common phrases (today, yesterday, N days ago, weekdays, "last friday",
"nov 3", "3 nov", ISO dates) go through one compiled regex. Only the rare rest
is handed to dateparser, and only its date words: dateparser reads any stray
number ("73 20") as a date, and it is far too slow for every message. A date
after today is an error, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from fitness_core.parsing.tokens import NUM, WORD, Token
from fitness_core.parsing.vocabulary import (
    DATE_ANCHORS,
    DATE_FILLERS,
    DATE_PREFIXES,
    DATE_RELATIVE_PERIODS,
    DAYS_PER_PERIOD,
    MONTHS,
    NUMBER_WORDS,
    RELATIVE_DAYS,
    STRICTLY_PAST_WEEKDAY,
    WEEKDAYS,
)


def _alternation(words) -> str:
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True))


_MONTH = _alternation(MONTHS)
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])"
_FAST = re.compile(
    rf"""
    (?<![\w/.:-])(?:on\s+)?
    (?:
      (?P<relative>{_alternation(RELATIVE_DAYS)})
     |(?P<count>\d{{1,3}}|{_alternation(NUMBER_WORDS)})\s*(?P<period>{_alternation(DAYS_PER_PERIOD)})\s+ago
     |(?:(?P<modifier>last|this|past|previous|next)\s+)?(?P<weekday>{_alternation(WEEKDAYS)})
     |(?P<month1>{_MONTH})\.?\s+(?P<day1>{_DAY})(?:st|nd|rd|th)?(?:,?\s+(?P<year1>\d{{4}}))?
     |(?:the\s+)?(?P<day2>{_DAY})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH})\.?(?:,?\s+(?P<year2>\d{{4}}))?(?!\s*\d)
     |(?P<iso_year>\d{{4}})-(?P<iso_month>\d{{1,2}})-(?P<iso_day>\d{{1,2}})
    )
    (?![\w/]|[:.]\d|\s*[x×*]\s*\d)
    """,
    re.IGNORECASE | re.VERBOSE,
)


_TRIGGERS = frozenset(
    set(MONTHS)
    | set(WEEKDAYS)
    | {word for phrase in RELATIVE_DAYS for word in phrase.split()}
    | DATE_ANCHORS
    | DATE_RELATIVE_PERIODS
) - {"the", "this", "day", "before"}
"""Words without which a line holds no date phrase: most messages skip the date regex entirely."""


def mentions_date(tokens: list[Token]) -> bool:
    for k, token in enumerate(tokens):
        if token.text in _TRIGGERS:
            return True
        if token.kind == NUM and len(token.text) == 4 and k + 1 < len(tokens) and tokens[k + 1].text == "-":
            return True
    return False


@dataclass(frozen=True, slots=True)
class DatePhrase:
    """A date phrase found in the text: its offsets, and the date or what is wrong with it."""

    start: int
    end: int
    date: dt.date | None
    problem: str | None = None


def find_fast_dates(text: str, start: int, end: int, today: dt.date) -> list[DatePhrase]:
    """The common date phrases in text[start:end]."""
    found = []
    for match in _FAST.finditer(text, start, end):
        date, problem = _fast_date(match, today)
        found.append(_checked(match.start(), match.end(), date, problem, today))
    return found


def _checked(start: int, end: int, date: dt.date | None, problem: str | None, today: dt.date) -> DatePhrase:
    if date is not None and date > today:
        return DatePhrase(start, end, None, f"{date.isoformat()} is in the future; only past days can be logged")
    return DatePhrase(start, end, date, problem)


def _fast_date(match: re.Match[str], today: dt.date) -> tuple[dt.date | None, str | None]:
    groups = match.groupdict()
    if groups["relative"]:
        return today + dt.timedelta(days=RELATIVE_DAYS[" ".join(groups["relative"].lower().split())]), None
    if groups["count"]:
        count = groups["count"].lower()
        number = NUMBER_WORDS.get(count) or int(count)
        return today - dt.timedelta(days=number * DAYS_PER_PERIOD[groups["period"].lower()]), None
    if groups["weekday"]:
        return _weekday(WEEKDAYS[groups["weekday"].lower()], groups["modifier"], today), None
    if groups["iso_year"]:
        return _exact(int(groups["iso_year"]), int(groups["iso_month"]), int(groups["iso_day"]))
    month = MONTHS[(groups["month1"] or groups["month2"]).lower()]
    day = int(groups["day1"] or groups["day2"])
    year = groups["year1"] or groups["year2"]
    if year:
        return _exact(int(year), month, day)
    return _most_recent(month, day, today)


def _weekday(weekday: int, modifier: str | None, today: dt.date) -> dt.date:
    if modifier and modifier.lower() == "next":  # always ahead, so refused as a future date
        return weekday_from(weekday, today, ahead=True)
    return weekday_from(
        weekday, today, ahead=False, strict=bool(modifier and modifier.lower() in STRICTLY_PAST_WEEKDAY)
    )


def _exact(year: int, month: int, day: int) -> tuple[dt.date | None, str | None]:
    date = calendar_date(year, month, day)
    return date, None if date else f"{year:04d}-{month:02d}-{day:02d} is not a date"


def _most_recent(month: int, day: int, today: dt.date) -> tuple[dt.date | None, str | None]:
    """A day and month without a year mean their latest occurrence up to today."""
    date = nearest_month_day(month, day, today, ahead=False)
    return date, None if date else f"there is no day {day} in month {month}"


# Shared with the other phrase readers (goal deadlines, coaching sessions), which read forwards too.

_YEARS_TO_FEB_29 = 9
"""Far enough, either way, to reach the nearest Feb 29; a day no year has ("feb 30") is never found."""


def calendar_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when the calendar has no such day."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def nearest_month_day(month: int, day: int, today: dt.date, *, ahead: bool) -> dt.date | None:
    """A month and day without a year: the next one from today on (ahead), else the last one up to today."""
    step = 1 if ahead else -1
    for year in range(today.year, today.year + step * _YEARS_TO_FEB_29, step):
        date = calendar_date(year, month, day)
        if date is not None and (date >= today if ahead else date <= today):
            return date
    return None


def weekday_from(weekday: int, today: dt.date, *, ahead: bool, strict: bool = False) -> dt.date:
    """The nearest such weekday on one side of today: ahead it is always later ("next mon"); behind, today
    counts unless `strict` ("last mon" on a Monday is a week ago)."""
    if ahead:
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)
    back = (today.weekday() - weekday) % 7
    return today - dt.timedelta(days=back or (7 if strict else 0))


def find_slow_dates(tokens: list[Token], text: str, today: dt.date) -> list[tuple[int, int, DatePhrase]]:
    """Rarer date phrases among the tokens, resolved by dateparser.

    Returns (first token index, end token index, phrase) for each; the caller drops those tokens.
    """
    found = []
    i = 0
    while i < len(tokens):
        if _is_anchor(tokens, i):
            first, last = _grow(tokens, i)
            if _is_date_run(tokens[first:last]):
                start, end = tokens[first].start, tokens[last - 1].end
                date = _dateparser(" ".join(text[start:end].lower().split()), today)
                problem = None if date else f"could not read the date {text[start:end]!r}"
                found.append((first, last, _checked(start, end, date, problem, today)))
                i = last
                continue
        i += 1
    return found


def _is_anchor(tokens: list[Token], i: int) -> bool:
    text = tokens[i].text
    if text in DATE_ANCHORS:
        return True
    return text in DATE_RELATIVE_PERIODS and i > 0 and tokens[i - 1].text in DATE_PREFIXES


def _joins(tokens: list[Token], k: int) -> bool:
    """Whether tokens[k] can belong to a date phrase next to an anchor."""
    token = tokens[k]
    if token.kind == WORD:
        return token.text in DATE_FILLERS or token.text in DATE_ANCHORS
    if token.kind != NUM or token.unit not in (None, "st", "nd", "rd", "th"):
        return token.text == ","
    neighbours = [tokens[j].text for j in (k - 1, k + 1) if 0 <= j < len(tokens)]
    return any(word in MONTHS or word in DAYS_PER_PERIOD or word in ("months", "month", "years") for word in neighbours)


def _grow(tokens: list[Token], i: int) -> tuple[int, int]:
    first, last = i, i + 1
    while first > 0 and _joins(tokens, first - 1):
        first -= 1
    while last < len(tokens) and _joins(tokens, last):
        last += 1
    while first < i and tokens[first].text in (",", "of", "on"):
        first += 1
    return first, last


def _is_date_run(run: list[Token]) -> bool:
    """A month alone ("in march") is not a day, and is left to the rest of the parser."""
    words = {token.text for token in run}
    if words & {"ago", "fortnight"} or words & set(WEEKDAYS) or words & DATE_RELATIVE_PERIODS:
        return True
    return bool(words & set(MONTHS)) and any(token.kind == NUM for token in run)


@lru_cache(maxsize=1024)
def _dateparser(phrase: str, today: dt.date) -> dt.date | None:
    import dateparser  # imported on first use: the common phrases never need it

    parsed = dateparser.parse(
        phrase,
        languages=["en"],
        settings={"RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)), "PREFER_DATES_FROM": "past"},
    )
    return parsed.date() if parsed else None
