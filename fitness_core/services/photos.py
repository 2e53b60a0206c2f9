"""Progress photos: save one from a captioned chat photo, list, compare, and share them with coaches.

The picture itself stays with Telegram; we keep its file id (in photo_url), the
view it shows, and a weight/body-fat snapshot so a comparison can say what
changed. Photos are private until their owner shares them; a coach reads only
shared photos of active clients, which row-level security enforces as well
(`is_public AND app_coaches(user_id)`), so the filters here are a second lock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import itertools
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Row, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core.models import (
    AuditLog,
    CoachClient,
    HealthMetric,
    LinkStatus,
    PhotoType,
    ProgressPhoto,
    User,
    UserRole,
)
from fitness_core.services.accounts import Member

TABLE = ProgressPhoto.__tablename__
# A snapshot older than this says little about the body in the picture.
SNAPSHOT_WINDOW = dt.timedelta(days=7)
# /photos shows this many per view, newest first, and counts the rest: a reply stays far below Telegram's limit.
PER_TYPE = 5
CAPTION_TYPES = (PhotoType.FRONT, PhotoType.SIDE, PhotoType.BACK, PhotoType.FLEX)
# "front", "progress front", "front pic", "Side view - week 4": the view, then optional notes.
_CAPTION = re.compile(
    r"^\s*(?:(?:my|progress|photo|pic|picture)\s+)*"
    rf"({'|'.join(CAPTION_TYPES)})\b"
    r"(?:\s+(?:view|pic|photo|picture|shot|pose)\b)?"
    r"[\s:;,.\-–—]*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
ALL = "all"
_TYPE_WORDS = frozenset(PhotoType)


class PhotoError(Exception):
    """A request that cannot be served; the message is shown to the person as is."""


class Action(enum.StrEnum):
    LIST = "list"
    COMPARE = "compare"
    SHARE = "share"
    PRIVATE = "private"


_ACTION_WORDS = frozenset(Action)


USAGE = (
    "/photos: your progress photos\n"
    "/photos compare front: first and latest side by side (front, side, back, flex)\n"
    "/photos share front (or all) / /photos private front (or all): who sees them\n"
    "Coaches: /photos client_name, /photos client_name compare front"
)


@dataclass(frozen=True)
class Caption:
    photo_type: PhotoType
    notes: str | None


@dataclass(frozen=True)
class PhotoLine:
    """One photo as replies show it; plain values, so nothing is loaded after the transaction."""

    id: int
    photo_date: dt.date
    photo_type: PhotoType
    file_id: str
    weight_lbs: float | None
    body_fat_percentage: float | None
    notes: str | None
    is_public: bool

    @classmethod
    def of(cls, row: Row) -> PhotoLine:
        return cls(**{field.name: getattr(row, field.name) for field in dataclasses.fields(cls)})


_LINE_COLUMNS = (
    ProgressPhoto.id,
    ProgressPhoto.photo_date,
    ProgressPhoto.photo_type,
    ProgressPhoto.photo_url.label("file_id"),
    ProgressPhoto.weight_lbs,
    ProgressPhoto.body_fat_percentage,
    ProgressPhoto.notes,
    ProgressPhoto.is_public,
)


@dataclass(frozen=True)
class OwnPhoto:
    """A person's own photo, and whether they have a coach to share it with (its button depends on it)."""

    photo: PhotoLine
    has_coach: bool


@dataclass(frozen=True)
class SavedPhoto(OwnPhoto):
    # The day of the weigh-in the snapshot came from; None when there was none in the window.
    measured_on: dt.date | None


@dataclass(frozen=True)
class Owner:
    """Whose photos a request reads: the person's own, or (for a coach) a client's shared ones."""

    user_id: int
    client: str | None = None

    @property
    def shared_only(self) -> bool:
        return self.client is not None


@dataclass(frozen=True)
class TypeGroup:
    photo_type: PhotoType
    photos: tuple[PhotoLine, ...]  # newest first, at most PER_TYPE
    total: int


@dataclass(frozen=True)
class Request:
    """What /photos was asked: photo_type None means every type (list, share all, private all)."""

    action: Action
    client: str | None = None
    photo_type: PhotoType | None = None


def parse_caption(caption: str | None) -> Caption | None:
    """The view a photo shows and any notes after it; None when the caption names no view."""
    match = _CAPTION.match(caption or "")
    if match is None:
        return None
    return Caption(PhotoType(match[1].lower()), match[2].strip() or None)


def parse_type(word: str) -> PhotoType:
    try:
        return PhotoType(word.lower())
    except ValueError:
        views = ", ".join(PhotoType)
        raise PhotoError(f"“{word}” is not a photo type. Types: {views}.") from None


def parse_request(text: str) -> Request:
    """`/photos [client] [type | compare [type] | share|private type|all]`; a leading other word is a client."""
    words = text.split()
    client = None
    if words and words[0].lower() not in _ACTION_WORDS | _TYPE_WORDS:
        client, words = words[0].removeprefix("@"), words[1:]
    if words and words[0].lower() in _ACTION_WORDS:
        action, words = Action(words[0].lower()), words[1:]
    else:
        action = Action.LIST
    if len(words) > 1 or (action in (Action.SHARE, Action.PRIVATE) and not words):
        raise PhotoError(USAGE)
    if client is not None and action in (Action.SHARE, Action.PRIVATE):
        raise PhotoError("Only the person in the photos can change who sees them.")
    if action in (Action.SHARE, Action.PRIVATE) and words[0].lower() == ALL:
        return Request(action)
    default = PhotoType.FRONT if action is Action.COMPARE else None
    return Request(action, client, parse_type(words[0]) if words else default)


async def _snapshot(session: AsyncSession, user_id: int, day: dt.date) -> Row | None:
    """That day's weigh-in, else the latest in the week before it (weight, body fat, or both)."""
    return (
        await session.execute(
            select(HealthMetric.recorded_date, HealthMetric.weight_lbs, HealthMetric.body_fat_percentage)
            .where(
                HealthMetric.user_id == user_id,
                HealthMetric.recorded_date.between(day - SNAPSHOT_WINDOW, day),
                or_(HealthMetric.weight_lbs.is_not(None), HealthMetric.body_fat_percentage.is_not(None)),
            )
            .order_by(HealthMetric.recorded_date.desc())
            .limit(1)
        )
    ).first()


async def _has_coach(session: AsyncSession, member: Member) -> bool:
    return bool(
        await session.scalar(
            select(exists().where(CoachClient.client_id == member.user_id, CoachClient.status == LinkStatus.ACTIVE))
        )
    )


async def _line(session: AsyncSession, member: Member, photo_id: int) -> PhotoLine | None:
    row = (
        await session.execute(
            select(*_LINE_COLUMNS).where(ProgressPhoto.id == photo_id, ProgressPhoto.user_id == member.user_id)
        )
    ).first()
    return None if row is None else PhotoLine.of(row)


async def save(
    session: AsyncSession, member: Member, *, file_id: str, caption: Caption, now: dt.datetime
) -> SavedPhoto:
    """A private photo dated the person's local today, with the nearest weigh-in as its snapshot."""
    day = member.today(now)
    snapshot = await _snapshot(session, member.user_id, day)
    photo = ProgressPhoto(
        user_id=member.user_id,
        photo_date=day,
        photo_url=file_id,
        photo_type=caption.photo_type,
        notes=caption.notes,
        weight_lbs=snapshot.weight_lbs if snapshot else None,
        body_fat_percentage=snapshot.body_fat_percentage if snapshot else None,
        is_public=False,
    )
    session.add(photo)
    await session.flush()
    session.add(
        AuditLog.entry(
            member.user_id, "create", TABLE, photo.id, photo_type=photo.photo_type.value, photo_date=str(day)
        )
    )
    return SavedPhoto(
        await _line(session, member, photo.id),
        await _has_coach(session, member),
        snapshot.recorded_date if snapshot else None,
    )


async def _change_sharing(
    session: AsyncSession, member: Member, shared: bool, *criteria: ColumnElement[bool]
) -> list[int]:
    """Set is_public on the person's matching photos that differ; one audit row per photo changed."""
    changed = (
        await session.scalars(
            update(ProgressPhoto)
            .where(ProgressPhoto.user_id == member.user_id, ProgressPhoto.is_public != shared, *criteria)
            .values(is_public=shared)
            .returning(ProgressPhoto.id)
        )
    ).all()
    if changed:
        action = "share" if shared else "unshare"
        session.add_all(AuditLog.entry(member.user_id, action, TABLE, i, is_public=shared) for i in changed)
    return list(changed)


async def set_shared(session: AsyncSession, member: Member, photo_id: int, shared: bool) -> OwnPhoto | None:
    """One photo shared or private (idempotent, for a button); None when it is not the person's."""
    await _change_sharing(session, member, shared, ProgressPhoto.id == photo_id)
    line = await _line(session, member, photo_id)
    return None if line is None else OwnPhoto(line, await _has_coach(session, member))


async def set_shared_bulk(session: AsyncSession, member: Member, photo_type: PhotoType | None, shared: bool) -> int:
    """All of one type (or all photos) shared or private; how many changed."""
    criteria = () if photo_type is None else (ProgressPhoto.photo_type == photo_type,)
    return len(await _change_sharing(session, member, shared, *criteria))


async def owner(session: AsyncSession, member: Member, client: str | None) -> Owner:
    """The person themselves, or a client this coach actively coaches; anyone else is refused."""
    if client is None:
        return Owner(member.user_id)
    refusal = PhotoError(f"“{client}” is not your client.")
    if member.role is not UserRole.COACH:
        raise refusal
    row = (
        await session.execute(
            select(User.id, User.username)
            .join(CoachClient, CoachClient.client_id == User.id)
            .where(
                CoachClient.coach_id == member.user_id,
                CoachClient.status == LinkStatus.ACTIVE,
                func.lower(User.username) == client.lower(),
            )
        )
    ).first()
    if row is None:
        raise refusal
    return Owner(row.id, row.username)


def _visible(owner: Owner, photo_type: PhotoType | None) -> list[ColumnElement[bool]]:
    criteria = [ProgressPhoto.user_id == owner.user_id]
    if owner.shared_only:
        criteria.append(ProgressPhoto.is_public.is_(True))
    if photo_type is not None:
        criteria.append(ProgressPhoto.photo_type == photo_type)
    return criteria


async def album(session: AsyncSession, owner: Owner, photo_type: PhotoType | None = None) -> tuple[TypeGroup, ...]:
    """Per type (in the enum's order) the newest PER_TYPE photos and how many there are in all."""
    newest_first = (ProgressPhoto.photo_date.desc(), ProgressPhoto.id.desc())
    ranked = (
        select(
            *_LINE_COLUMNS,
            func.row_number().over(partition_by=ProgressPhoto.photo_type, order_by=newest_first).label("rank"),
            func.count().over(partition_by=ProgressPhoto.photo_type).label("total"),
        )
        .where(*_visible(owner, photo_type))
        .subquery()
    )
    rows = (
        await session.execute(
            select(ranked).where(ranked.c.rank <= PER_TYPE).order_by(ranked.c.photo_type, ranked.c.rank)
        )
    ).all()
    return tuple(_group(kind, list(group)) for kind, group in itertools.groupby(rows, lambda row: row.photo_type))


def _group(photo_type: PhotoType, rows: list[Row]) -> TypeGroup:
    return TypeGroup(photo_type, tuple(PhotoLine.of(row) for row in rows), total=rows[0].total)


async def comparison(session: AsyncSession, owner: Owner, photo_type: PhotoType) -> tuple[PhotoLine, PhotoLine] | None:
    """The first and the latest photo of this type; None with fewer than two."""
    query = select(*_LINE_COLUMNS).where(*_visible(owner, photo_type)).limit(1)
    first = (await session.execute(query.order_by(ProgressPhoto.photo_date, ProgressPhoto.id))).first()
    latest = (await session.execute(query.order_by(ProgressPhoto.photo_date.desc(), ProgressPhoto.id.desc()))).first()
    if first is None or first.id == latest.id:
        return None
    return PhotoLine.of(first), PhotoLine.of(latest)
