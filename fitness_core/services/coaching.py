"""Coach and client: invites, the link between them, coaching sessions and their action items.

The one-line and guided session grammar is in session_line.py.

The caller's session acts as the person (row-level security). Only two things here
cross people, and they switch to the system role for exactly that: accepting an
invite (the code belongs to the coach, the link is made for both) and reading the
chat another person is notified in. Everything else runs as the person, so the
database refuses what the checks here would refuse: a coach reads and writes only
for ACTIVE clients, and ending a link ends that access in the same transaction.

Every write adds an AuditLog row. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import zoneinfo
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from fitness_core import ranges
from fitness_core.models import (
    AuditLog,
    CoachClient,
    CoachingSession,
    LinkStatus,
    TelegramLink,
    User,
    UserRole,
    UserSettings,
)
from fitness_core.models.coaching import INVITE_CODE_ALPHABET, INVITE_CODE_LENGTH, CoachInvite
from fitness_core.services.access import act_as_system, act_as_user
from fitness_core.services.accounts import Member

if TYPE_CHECKING:
    from fitness_core.services.session_line import SessionDraft

INVITE_DAYS = 7
CODE_ATTEMPTS = 3  # 32^8 codes: a clash is already one in a trillion, three in a row never happens


class CoachingError(Exception):
    """Something the person must know or fix; the message is shown to them as is.

    Always raised before anything is written, so the caller may still commit.
    """


class NotACoach(CoachingError):
    def __init__(self) -> None:
        super().__init__(
            "That is a coach command, and your account is not a coach account. "
            "Coach accounts are set up by the operator."
        )


class NotYourClient(CoachingError):
    def __init__(self, username: str) -> None:
        super().__init__(f"@{username} is not your client.")


def require_coach(member: Member) -> None:
    """Coach commands are for the coach role; the database policies key on the links, not the role."""
    if member.role is not UserRole.COACH:
        raise NotACoach


def _username(text: str) -> str:
    """How people name each other in commands: "@Sam" and "sam" are the same account."""
    return text.strip().removeprefix("@").lower()


@dataclass(frozen=True)
class Person:
    """Someone on the other side of a link, as the chat names them."""

    user_id: int
    username: str
    full_name: str | None
    timezone: str = "UTC"

    def today(self, now: dt.datetime) -> dt.date:
        """Their local date: their logs are dated in it."""
        return now.astimezone(zoneinfo.ZoneInfo(self.timezone)).date()

    @classmethod
    def of(cls, user: User) -> Person:
        return cls(user.id, user.username, user.full_name)


@asynccontextmanager
async def _across_people(session: AsyncSession, member: Member) -> AsyncIterator[None]:
    """Act as system inside the block only, then as the member again (also after a CoachingError).

    The member's pending writes are flushed before, so the policies check them as theirs;
    the block's own writes are flushed inside, as system.
    """
    await session.flush()
    await act_as_system(session)
    try:
        yield
        await session.flush()
    except CoachingError:
        await act_as_user(session, member.user_id)
        raise
    await act_as_user(session, member.user_id)


async def chat_of(session: AsyncSession, member: Member, user_id: int) -> int | None:
    """The chat to notify another person in (None when they have no linked chat).

    A Telegram link is readable by its owner only, so this one read crosses people.
    """
    async with _across_people(session, member):
        return await _chat_id(session, user_id)


async def _chat_id(session: AsyncSession, user_id: int) -> int | None:
    return await session.scalar(select(TelegramLink.chat_id).where(TelegramLink.user_id == user_id))


async def find_client(session: AsyncSession, member: Member, username: str) -> Person:
    """The coach's ACTIVE client with this username, or NotYourClient (never "no such user": no probing)."""
    require_coach(member)
    name = _username(username)
    row = (
        await session.execute(
            select(User.id, User.username, User.full_name, func.coalesce(UserSettings.timezone, "UTC"))
            .join(CoachClient, CoachClient.client_id == User.id)
            .outerjoin(UserSettings, UserSettings.user_id == User.id)
            .where(
                CoachClient.coach_id == member.user_id,
                CoachClient.status == LinkStatus.ACTIVE,
                func.lower(User.username) == name,
            )
        )
    ).first()
    if row is None:
        raise NotYourClient(name)
    return Person(*row)


# --- invites -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invite:
    code: str
    expires_at: dt.datetime


def _new_code() -> str:
    return "".join(secrets.choice(INVITE_CODE_ALPHABET) for _ in range(INVITE_CODE_LENGTH))


async def create_invite(session: AsyncSession, member: Member, now: dt.datetime) -> Invite:
    """A fresh single-use code, valid INVITE_DAYS days (dated by the caller's clock, like everything else)."""
    require_coach(member)
    expires_at = now + dt.timedelta(days=INVITE_DAYS)
    for _ in range(CODE_ATTEMPTS):
        code = _new_code()
        invite_id = await session.scalar(
            insert(CoachInvite)
            .values(code=code, coach_id=member.user_id, created_at=now, expires_at=expires_at)
            .on_conflict_do_nothing(index_elements=[CoachInvite.code])
            .returning(CoachInvite.id)
        )
        if invite_id is not None:
            session.add(AuditLog.entry(member.user_id, "create", "coach_invites", invite_id))
            return Invite(code, expires_at)
    raise CoachingError("I could not find a free invite code. Please send /invite again.")


def normalize_code(text: str) -> str:
    """An invite code as typed or pasted ("k7mq 2xpa" works); CoachingError when it cannot be one."""
    code = re.sub(r"[\s-]", "", text).upper()
    if len(code) != INVITE_CODE_LENGTH or any(ch not in INVITE_CODE_ALPHABET for ch in code):
        raise CoachingError(
            f"“{text.strip()}” is not an invite code: codes are {INVITE_CODE_LENGTH} letters and digits, "
            "like K7MQ2XPA. Ask your coach for theirs."
        )
    return code


async def _usable_invite(
    session: AsyncSession, member: Member, code: str, now: dt.datetime, *, lock: bool
) -> tuple[CoachInvite, User]:
    """The invite and its coach (read as system); CoachingError when the member cannot accept it."""
    query = select(CoachInvite, User).join(User, User.id == CoachInvite.coach_id).where(CoachInvite.code == code)
    row = (await session.execute(query.with_for_update(of=CoachInvite) if lock else query)).first()
    if row is None:
        raise CoachingError(f"I don't know the invite code {code}. Check it with your coach.")
    invite, coach = row
    if invite.coach_id == member.user_id:
        raise CoachingError("That is your own invite: send the link to the person you coach.")
    if invite.used_at is not None:
        raise CoachingError("That invite was already used. Ask your coach for a new one.")
    if invite.expires_at <= now:
        raise CoachingError(f"That invite has expired (invites last {INVITE_DAYS} days). Ask your coach for a new one.")
    if coach.role is not UserRole.COACH or not coach.is_active:
        raise CoachingError("That invite is no longer valid: its sender is not a coach any more.")
    linked = await session.scalar(
        select(CoachClient.id).where(
            CoachClient.coach_id == coach.id,
            CoachClient.client_id == member.user_id,
            CoachClient.status == LinkStatus.ACTIVE,
        )
    )
    if linked is not None:
        raise CoachingError(f"{coach.full_name or coach.username} is already your coach.")
    return invite, coach


async def preview_invite(session: AsyncSession, member: Member, code: str, now: dt.datetime) -> Person:
    """Whose invite this is, before the person decides; CoachingError when it cannot be accepted."""
    async with _across_people(session, member):
        _invite, coach = await _usable_invite(session, member, code, now, lock=False)
    return Person.of(coach)


@dataclass(frozen=True)
class Joined:
    coach: Person
    coach_chat_id: int | None


async def accept_invite(session: AsyncSession, member: Member, code: str, now: dt.datetime) -> Joined:
    """Use the invite and open (or re-activate) the link, as system: the code and the link span two people.

    The invite row is locked, so two people pressing Join at once cannot both use it.
    """
    async with _across_people(session, member):
        invite, coach = await _usable_invite(session, member, code, now, lock=True)
        invite.used_by, invite.used_at = member.user_id, now
        link = await _activate_link(session, coach.id, member.user_id, invite.created_at, now)
        session.add_all(
            [
                AuditLog.about(member.user_id, "use", invite),
                AuditLog.about(member.user_id, "start", link, coach_id=coach.id, client_id=member.user_id),
            ]
        )
        coach_chat_id = await _chat_id(session, coach.id)
    return Joined(Person.of(coach), coach_chat_id)


async def _activate_link(
    session: AsyncSession, coach_id: int, client_id: int, invited_at: dt.datetime, now: dt.datetime
) -> CoachClient:
    """The pair's live link made active: an 'invited' one is re-activated, else a new row (ended ones stay as history)."""
    link = await session.scalar(
        select(CoachClient).where(
            CoachClient.coach_id == coach_id,
            CoachClient.client_id == client_id,
            CoachClient.status == LinkStatus.INVITED,
        )
    )
    if link is None:
        link = CoachClient(coach_id=coach_id, client_id=client_id, invited_at=invited_at)
        session.add(link)
    link.status, link.started_at, link.ended_at = LinkStatus.ACTIVE, now, None
    await session.flush()
    return link


# --- ending a link -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ended:
    other: Person
    other_chat_id: int | None


async def leave_coach(session: AsyncSession, member: Member, coach_username: str | None, now: dt.datetime) -> Ended:
    """The client ends a link: the only coach, or the one named when there are several."""
    conditions = [CoachClient.client_id == member.user_id, CoachClient.status == LinkStatus.ACTIVE]
    if coach_username:
        conditions.append(func.lower(User.username) == _username(coach_username))
    rows = (
        await session.execute(select(CoachClient, User).join(User, User.id == CoachClient.coach_id).where(*conditions))
    ).all()
    if not rows:
        raise CoachingError(
            f"@{_username(coach_username)} is not your coach." if coach_username else "You have no coach."
        )
    if len(rows) > 1:
        names = ", ".join(f"@{coach.username}" for _link, coach in rows)
        raise CoachingError(f"You have several coaches ({names}): say which, e.g. /leave {rows[0][1].username}")
    link, coach = rows[0]
    return await _end(session, member, link, coach, now)


async def drop_client(session: AsyncSession, member: Member, client_username: str, now: dt.datetime) -> Ended:
    """The coach ends a link with an active client."""
    require_coach(member)
    row = (
        await session.execute(
            select(CoachClient, User)
            .join(User, User.id == CoachClient.client_id)
            .where(
                CoachClient.coach_id == member.user_id,
                CoachClient.status == LinkStatus.ACTIVE,
                func.lower(User.username) == _username(client_username),
            )
        )
    ).first()
    if row is None:
        raise NotYourClient(_username(client_username))
    link, client = row
    return await _end(session, member, link, client, now)


async def _end(session: AsyncSession, member: Member, link: CoachClient, other: User, now: dt.datetime) -> Ended:
    """Status 'ended' is what the policies read: the coach's access stops with this transaction."""
    other_person = Person.of(other)  # read before the link ends: afterwards the row is no longer visible
    link.status, link.ended_at = LinkStatus.ENDED, now
    by = "coach" if link.coach_id == member.user_id else "client"
    session.add(AuditLog.about(member.user_id, "end", link, by=by))
    return Ended(other_person, await chat_of(session, member, other_person.user_id))


# --- sessions and action items -------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    session: CoachingSession
    client: Person
    client_chat_id: int | None


async def record_session(session: AsyncSession, member: Member, client_username: str, draft: SessionDraft) -> Recorded:
    """Save a session the coach held with an active client (the policies refuse any other)."""
    client = await find_client(session, member, client_username)
    row = CoachingSession(
        user_id=client.user_id,
        coach_id=member.user_id,
        session_date=draft.session_date,
        duration_minutes=draft.duration_minutes,
        topics=list(draft.topics),
        discussion_notes=draft.discussion_notes,
        coach_feedback=draft.coach_feedback,
        action_items=list(draft.action_items),
        next_session_date=draft.next_session_date,
    )
    session.add(row)
    await session.flush()
    session.add(AuditLog.about(member.user_id, "create", row, client_id=client.user_id))
    return Recorded(row, client, await chat_of(session, member, client.user_id))


async def _own_session(session: AsyncSession, member: Member, session_id: int) -> CoachingSession:
    """One of the member's own coaching sessions, locked: two quick presses must not lose an item."""
    row = await session.scalar(
        select(CoachingSession)
        .where(CoachingSession.id == session_id, CoachingSession.user_id == member.user_id)
        .with_for_update()
    )
    if row is None:
        raise CoachingError("That coaching session is not yours, or no longer exists.")
    return row


async def mark_action_done(
    session: AsyncSession, member: Member, session_id: int, number: int, today: dt.date
) -> CoachingSession:
    """The client ticks an action item off (again is fine: nothing changes)."""
    row = await _own_session(session, member, session_id)
    if not 1 <= number <= len(row.action_items):
        raise CoachingError("That action item no longer exists.")
    if row.mark_action_item_done(number, today):
        session.add(AuditLog.about(member.user_id, "action_done", row, item=number, completed=row.completed))
    return row


async def rate_session(session: AsyncSession, member: Member, session_id: int, rating: int) -> CoachingSession:
    """The client's 1-10 rating of a session (a later press replaces it)."""
    if not ranges.SCALE.contains(rating):
        raise CoachingError(f"Ratings go from {ranges.SCALE.describe()}.")
    row = await _own_session(session, member, session_id)
    row.user_rating = rating
    session.add(AuditLog.about(member.user_id, "rate", row, rating=rating))
    return row


@dataclass(frozen=True)
class ActionItem:
    session_id: int
    number: int  # as shown to people, from 1
    text: str
    done: bool
    session_date: dt.date
    overdue: bool  # the next session date passed with items still open (CoachingSession.is_overdue_on)


def list_action_items(rows: Sequence[CoachingSession], today: dt.date, *, open_only: bool) -> list[ActionItem]:
    items = []
    for row in rows:
        done = set(row.done_action_items)
        overdue = row.is_overdue_on(today)
        for number, text in enumerate(row.action_items, 1):
            if not (open_only and number in done):
                items.append(ActionItem(row.id, number, text, number in done, row.session_date, overdue))
    return items


_HAS_ITEMS = func.cardinality(CoachingSession.action_items) > 0


async def my_open_actions(session: AsyncSession, member: Member, today: dt.date) -> list[ActionItem]:
    """The member's own open action items, oldest session first."""
    rows = await session.scalars(
        select(CoachingSession)
        .where(CoachingSession.user_id == member.user_id, CoachingSession.completed.is_(False), _HAS_ITEMS)
        .order_by(CoachingSession.session_date, CoachingSession.id)
    )
    return list_action_items(rows.all(), today, open_only=True)


@dataclass(frozen=True)
class ClientActions:
    client: Person
    items: tuple[ActionItem, ...]


async def clients_actions(
    session: AsyncSession, member: Member, today: dt.date, client_id: int | None = None
) -> list[ClientActions]:
    """Per active client: every item (done or not) of sessions still open, and of the latest session.

    The latest session stays even when complete, so the coach sees what was ticked off.
    One statement; a window function picks each client's latest session.
    """
    require_coach(member)
    conditions: list[ColumnElement[bool]] = [CoachingSession.coach_id == member.user_id, _HAS_ITEMS]
    if client_id is not None:
        conditions.append(CoachingSession.user_id == client_id)
    recency = (
        func.row_number()
        .over(
            partition_by=CoachingSession.user_id,
            order_by=(CoachingSession.session_date.desc(), CoachingSession.id.desc()),
        )
        .label("recency")
    )
    ranked = select(CoachingSession.id, recency).where(*conditions).subquery()
    rows = (
        await session.execute(
            select(CoachingSession, User)
            .join(ranked, ranked.c.id == CoachingSession.id)
            .join(User, User.id == CoachingSession.user_id)
            .where(or_(CoachingSession.completed.is_(False), ranked.c.recency == 1))
            .order_by(func.lower(User.username), CoachingSession.session_date, CoachingSession.id)
        )
    ).all()
    grouped: dict[int, tuple[Person, list[CoachingSession]]] = {}
    for row, client in rows:
        grouped.setdefault(client.id, (Person.of(client), []))[1].append(row)
    return [
        ClientActions(person, tuple(list_action_items(sessions, today, open_only=False)))
        for person, sessions in grouped.values()
    ]
