"""Progress photos in chat: a captioned photo is saved; /photos lists, compares and shares them."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InputMediaPhoto, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from fitness_core import formatting
from fitness_core.models import PhotoType
from fitness_core.services import photos as service
from fitness_core.services.accounts import Member
from fitness_core.services.photos import Action, Owner, OwnPhoto, PhotoError, PhotoLine, Request, SavedPhoto, TypeGroup
from fitness_core.units import UnitSystem
from handlers.common import Reply, as_member, command_text, escape, runtime

_VIEWS = "a caption naming the view: <b>front</b>, <b>side</b>, <b>back</b> or <b>flex</b> (e.g. “front week 4”)"
CAPTION_HELP = f"Nothing was saved. To keep a progress photo, send it with {_VIEWS}."
# Button data names the state wanted, not "toggle", so a repeated press cannot flip it back.
_BUTTON = re.compile(r"^photo:(share|private):(\d+)$")
NOTES_SHOWN = 40  # characters of notes in a list line


def _button(choice: str, photo: PhotoLine) -> str:
    return f"photo:{choice}:{photo.id}"


def _measures(photo: PhotoLine, units: UnitSystem) -> list[str]:
    parts = [] if photo.weight_lbs is None else [formatting.weight(photo.weight_lbs, units)]
    if photo.body_fat_percentage is not None:
        parts.append(formatting.body_fat(photo.body_fat_percentage))
    return parts


def _summary(photo: PhotoLine, units: UnitSystem, today: dt.date) -> str:
    """ "today · 180.0 lb · 18% body fat — week 4": one photo on one line."""
    text = " · ".join([formatting.day(photo.photo_date, today), *_measures(photo, units)])
    if photo.notes:
        notes = photo.notes if len(photo.notes) <= NOTES_SHOWN else photo.notes[: NOTES_SHOWN - 1] + "…"
        text += f" — {escape(notes)}"
    return text


def _own_reply(result: OwnPhoto, lines: list[str]) -> Reply:
    """The photo's lines, who sees it, and the button that changes that (sharing needs a coach)."""
    photo = result.photo
    if photo.is_public:
        return Reply("\n".join([*lines, "👥 Shared with your coach."]), [[("Make private", _button("private", photo))]])
    buttons = [[("Share with my coach", _button("share", photo))]] if result.has_coach else []
    return Reply("\n".join([*lines, "🔒 Private: only you can see it."]), buttons)


def _snapshot_line(saved: SavedPhoto, units: UnitSystem, today: dt.date) -> str:
    if saved.measured_on is None:
        return "No weigh-in in the last 7 days, so no weight snapshot (log one like “weight 182 bf 18”)."
    source = (
        "today's weigh-in"
        if saved.measured_on == saved.photo.photo_date
        else f"latest weigh-in, {formatting.day(saved.measured_on, today)}"
    )
    return f"Snapshot: {' · '.join(_measures(saved.photo, units))} ({source})."


def _saved_reply(saved: SavedPhoto, units: UnitSystem, today: dt.date) -> Reply:
    photo = saved.photo
    lines = [
        f"📸 Saved your <b>{photo.photo_type}</b> photo, {formatting.day(photo.photo_date, today)} "
        f"({photo.photo_date:%a %b %-d}).",
        _snapshot_line(saved, units, today),
    ]
    if photo.notes:
        lines.append(f"Notes: {escape(photo.notes)}")
    return _own_reply(saved, lines)


async def photo_received(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A captioned photo becomes a progress photo; the largest size is the one worth keeping."""
    message = update.effective_message
    file_id = max(message.photo, key=lambda size: size.width * size.height).file_id
    caption = service.parse_caption(message.caption)
    now = runtime(context).clock()

    async def work(session: AsyncSession, member: Member) -> Reply:
        if caption is None:
            return Reply(CAPTION_HELP)
        saved = await service.save(session, member, file_id=file_id, caption=caption, now=now)
        return _saved_reply(saved, member.units, member.today(now))

    await as_member(update, context, work)


async def sharing_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The Share / Make private button: set the state it names, then show it with the opposite button."""
    choice, photo_id = _BUTTON.match(update.callback_query.data).groups()
    now = runtime(context).clock()

    async def work(session: AsyncSession, member: Member) -> Reply:
        result = await service.set_shared(session, member, int(photo_id), shared=choice == "share")
        if result is None:
            return Reply("That photo is not there any more.")
        photo = result.photo
        headline = f"<b>{photo.photo_type.capitalize()}</b> photo, {_summary(photo, member.units, member.today(now))}"
        return _own_reply(result, [headline])

    await as_member(update, context, work)


def _kind(photo_type: PhotoType | None) -> str:
    """ "front " before "photos", or nothing when every type is meant."""
    return f"{photo_type} " if photo_type else ""


def _photos_count(count: int, photo_type: PhotoType | None) -> str:
    return f"{count} {_kind(photo_type)}photo{'' if count == 1 else 's'}"


async def _bulk_sharing(session: AsyncSession, member: Member, request: Request) -> Reply:
    shared = request.action is Action.SHARE
    changed = await service.set_shared_bulk(session, member, request.photo_type, shared)
    if not changed:
        state = "shared" if shared else "private"
        return Reply(f"Nothing changed: your {_kind(request.photo_type)}photos were all {state} already.")
    done = "Shared" if shared else "Made private"
    whom = " with your coach" if shared else ""
    return Reply(f"{done} {_photos_count(changed, request.photo_type)}{whom}.")


def _group_text(group: TypeGroup, owner: Owner, units: UnitSystem, today: dt.date) -> list[str]:
    lines = [f"\n<b>{group.photo_type.capitalize()}</b> ({group.total})"]
    for photo in group.photos:
        marker = "" if owner.shared_only else (" · 👥 shared" if photo.is_public else " · 🔒 private")
        lines.append(f"• {_summary(photo, units, today)}{marker}")
    if group.total > len(group.photos):
        lines.append(f"  …and {group.total - len(group.photos)} older")
    return lines


def _album_text(
    groups: tuple[TypeGroup, ...], owner: Owner, photo_type: PhotoType | None, units: UnitSystem, today: dt.date
) -> str:
    kind = _kind(photo_type)
    if not groups:
        if owner.shared_only:
            return f"{escape(owner.client)} has not shared any {kind}progress photos with you yet."
        return f"No {kind}progress photos yet. Send a photo with {_VIEWS}."
    title = f"{escape(owner.client)}'s shared progress photos" if owner.shared_only else "Your progress photos"
    lines = [f"<b>{title}</b>"]
    for group in groups:
        lines.extend(_group_text(group, owner, units, today))
    who = f"{escape(owner.client)} " if owner.shared_only else ""
    lines.append(f"\n/photos {who}compare {groups[0].photo_type}: the first and the latest side by side.")
    return "\n".join(lines)


def _comparison_media(first: PhotoLine, latest: PhotoLine, units: UnitSystem, today: dt.date) -> list[InputMediaPhoto]:
    """Captions with date and snapshot; the latest also says how the weight moved since the first."""
    change = ""
    if first.weight_lbs is not None and latest.weight_lbs is not None:
        change = f" ({formatting.weight_change(latest.weight_lbs - first.weight_lbs, units)})"
    kind = first.photo_type.capitalize()
    captions = (
        f"<b>{kind}, first</b>: {_summary(first, units, today)}",
        f"<b>{kind}, latest</b>: {_summary(latest, units, today)}{change}",
    )
    return [
        InputMediaPhoto(photo.file_id, caption=caption, parse_mode=ParseMode.HTML)
        for photo, caption in zip((first, latest), captions, strict=True)
    ]


def _too_few(owner: Owner, photo_type: PhotoType) -> str:
    if owner.shared_only:
        return f"{escape(owner.client)} has shared fewer than two {photo_type} photos, so there is nothing to compare."
    return (
        f"Comparing needs at least two {photo_type} photos (the first and the latest). "
        f"Send another with the caption “{photo_type}”."
    )


async def photos_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List, compare or share; a comparison's media group goes out after the transaction, like replies."""
    text = command_text(update)
    now = runtime(context).clock()
    media: list[InputMediaPhoto] = []

    async def work(session: AsyncSession, member: Member) -> Reply | None:
        today = member.today(now)
        try:
            request = service.parse_request(text)
            if request.action in (Action.SHARE, Action.PRIVATE):
                return await _bulk_sharing(session, member, request)
            owner = await service.owner(session, member, request.client)
        except PhotoError as error:
            return Reply(escape(str(error)))
        if request.action is Action.LIST:
            groups = await service.album(session, owner, request.photo_type)
            return Reply(_album_text(groups, owner, request.photo_type, member.units, today))
        pair = await service.comparison(session, owner, request.photo_type)
        if pair is None:
            return Reply(_too_few(owner, request.photo_type))
        media.extend(_comparison_media(*pair, member.units, today))
        return None

    await as_member(update, context, work)
    if media:
        await update.effective_chat.send_media_group(media)


HANDLERS = [
    # New photos only: editing a caption later must not save the photo a second time.
    MessageHandler(filters.PHOTO & filters.UpdateType.MESSAGE, photo_received),
    CommandHandler("photos", photos_command),
    CallbackQueryHandler(sharing_pressed, pattern=_BUTTON),
]

COMMANDS = [("photos", "Progress photos: /photos, /photos compare front")]
