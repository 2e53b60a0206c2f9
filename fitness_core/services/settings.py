"""A person's settings: units, time zone, reminder time, quiet hours, which reminders they want."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core.models import AuditLog, UserSettings
from fitness_core.services.accounts import Member
from fitness_core.units import UnitSystem

# /reminders <kind> on|off: the word people type -> the column it switches.
REMINDER_KINDS = {
    "checkin": "remind_checkin",
    "coaching": "remind_coaching",
    "goals": "remind_goals",
    "inactivity": "remind_inactivity",
    "weekly": "remind_weekly",
}
_UNIT_WORDS = {
    "metric": UnitSystem.METRIC,
    "kg": UnitSystem.METRIC,
    "imperial": UnitSystem.IMPERIAL,
    "lb": UnitSystem.IMPERIAL,
    "lbs": UnitSystem.IMPERIAL,
}
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*([ap]\.?m\.?)?$", re.I)


class SettingsError(ValueError):
    """A setting value that cannot be used; the message says what would work."""


@cache
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_timezone(text: str) -> str:
    """An IANA zone name, matched without regard to case; close misspellings get suggestions."""
    wanted = text.strip().replace(" ", "_")
    found = _zones().get(wanted.lower())
    if found:
        return found
    close = difflib.get_close_matches(wanted.lower(), list(_zones()), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(_zones()[c] for c in close)}?" if close else ""
    raise SettingsError(
        f"“{text.strip()}” is not a time zone I know.{hint} Use a name like Europe/Berlin, America/New_York or Asia/Tokyo."
    )


def parse_time_of_day(text: str) -> dt.time:
    """'7', '7pm', '19:30', '7.30 am' -> a time; refuses what a clock cannot show."""
    match = _TIME.match(text.strip())
    if not match:
        raise SettingsError(f"“{text.strip()}” is not a time of day. Try 20:00 or 8pm.")
    hour, minute, meridiem = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise SettingsError(f"“{text.strip()}”: with am/pm the hour is 1-12.")
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise SettingsError(f"“{text.strip()}” is not a time of day. Try 20:00 or 8pm.")
    return dt.time(hour, minute)


def parse_units(text: str) -> UnitSystem:
    try:
        return _UNIT_WORDS[text.strip().lower()]
    except KeyError:
        raise SettingsError("Units are metric (kg, cm, km) or imperial (lb, in, mi).") from None


async def _settings(session: AsyncSession, member: Member) -> UserSettings:
    settings = await session.get(UserSettings, member.user_id)
    if settings is None:
        settings = UserSettings(user_id=member.user_id)
        session.add(settings)
    return settings


async def change(session: AsyncSession, member: Member, **values: object) -> UserSettings:
    """Apply already-validated values and leave an audit row with the old and new ones."""
    settings = await _settings(session, member)
    before = {name: _plain(getattr(settings, name)) for name in values}
    for name, value in values.items():
        setattr(settings, name, value)
    await session.flush()
    after = {name: _plain(v) for name, v in values.items()}
    session.add(AuditLog.entry(member.user_id, "update", "user_settings", member.user_id, before=before, after=after))
    return settings


def _plain(value: object) -> object:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return getattr(value, "value", value)


async def current(session: AsyncSession, member: Member) -> UserSettings:
    settings = await _settings(session, member)
    await session.flush()
    return settings
