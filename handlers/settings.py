"""/settings, /units, /tz and /reminders."""

from __future__ import annotations

import calendar

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from fitness_core.models import UserSettings
from fitness_core.services import settings as service
from fitness_core.services.accounts import Member
from fitness_core.services.settings import REMINDER_KINDS, SettingsError
from handlers.common import Reply, as_member, command_text, escape

DAYS = {name.lower(): index for index, name in enumerate(calendar.day_abbr)}
DAYS.update({name.lower(): index for index, name in enumerate(calendar.day_name)})

REMINDERS_HELP = (
    "<b>/reminders</b> options:\n"
    "  <code>/reminders time 8pm</code>: daily check-in time\n"
    "  <code>/reminders quiet 22:00-07:00</code> (or <code>quiet off</code>): nothing is sent inside them\n"
    "  <code>/reminders weekly sun 18:00</code>: the weekly summary\n"
    "  <code>/reminders checkin off</code>: one kind on or off ("
    + ", ".join(REMINDER_KINDS)
    + ")\n  <code>/reminders off</code> / <code>on</code>: all of them\n"
    "  <code>/reminders max 3</code>: at most this many nudges a day"
)


def _on_off(flag: bool) -> str:
    return "on" if flag else "off"


def describe(settings: UserSettings) -> str:
    quiet = (
        f"{settings.quiet_hours_start:%H:%M}-{settings.quiet_hours_end:%H:%M}" if settings.quiet_hours_start else "none"
    )
    kinds = ", ".join(f"{kind} {_on_off(getattr(settings, column))}" for kind, column in REMINDER_KINDS.items())
    return "\n".join(
        [
            "<b>Your settings</b>",
            f"Units: {settings.unit_system.value}  (/units metric or /units imperial)",
            f"Time zone: {escape(settings.timezone)}  (/tz Europe/Berlin)",
            f"Daily check-in: {settings.reminder_time:%H:%M}  (/reminders time 8pm)",
            f"Quiet hours: {quiet}  (/reminders quiet 22:00-07:00)",
            f"Weekly summary: {calendar.day_name[settings.weekly_summary_day]} {settings.weekly_summary_time:%H:%M}",
            f"Reminders: {kinds}",
            f"At most {settings.max_nudges_per_day} nudges a day.",
        ]
    )


async def show(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    async def work(session, member: Member) -> Reply:
        return Reply(describe(await service.current(session, member)))

    await as_member(update, context, work)


def _changing(parse_values):
    """A command handler that validates its argument, saves it, and shows the settings."""

    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        argument = command_text(update)

        async def work(session, member: Member) -> Reply:
            try:
                values = parse_values(argument)
            except SettingsError as error:
                return Reply(escape(str(error)))
            if not values:
                return Reply(describe(await service.current(session, member)))
            settings = await service.change(session, member, **values)
            return Reply("Saved.\n\n" + describe(settings))

        await as_member(update, context, work)

    return handler


def _units(argument: str) -> dict[str, object]:
    return {"unit_system": service.parse_units(argument)} if argument else {}


def _timezone(argument: str) -> dict[str, object]:
    return {"timezone": service.parse_timezone(argument)} if argument else {}


def _reminders(argument: str) -> dict[str, object]:
    words = argument.lower().split()
    if not words:
        return {}
    head, rest = words[0], words[1:]
    if head in ("on", "off") and not rest:
        return {column: head == "on" for column in REMINDER_KINDS.values()}
    if head in REMINDER_KINDS and rest in (["on"], ["off"]):
        return {REMINDER_KINDS[head]: rest[0] == "on"}
    if head == "time" and rest:
        return {"reminder_time": service.parse_time_of_day(" ".join(rest))}
    if head == "quiet" and rest == ["off"]:
        return {"quiet_hours_start": None, "quiet_hours_end": None}
    if head == "quiet" and rest:
        start, sep, end = " ".join(rest).partition("-")
        if not sep:
            raise SettingsError("Quiet hours go from-to, e.g. /reminders quiet 22:00-07:00.")
        return {
            "quiet_hours_start": service.parse_time_of_day(start),
            "quiet_hours_end": service.parse_time_of_day(end),
        }
    if head == "weekly" and len(rest) >= 2 and rest[0] in DAYS:
        return {
            "weekly_summary_day": DAYS[rest[0]],
            "weekly_summary_time": service.parse_time_of_day(" ".join(rest[1:])),
        }
    if head == "max" and len(rest) == 1 and rest[0].isdigit() and int(rest[0]) <= 20:
        return {"max_nudges_per_day": int(rest[0])}
    raise SettingsError(REMINDERS_HELP)


HANDLERS = [
    CommandHandler("settings", show),
    CommandHandler("units", _changing(_units)),
    CommandHandler("tz", _changing(_timezone)),
    CommandHandler("reminders", _changing(_reminders)),
]

COMMANDS = [
    ("settings", "Units, time zone, reminders"),
    ("units", "metric or imperial"),
    ("tz", "Your time zone, e.g. /tz Europe/Berlin"),
    ("reminders", "Reminder time, quiet hours, on/off"),
]
