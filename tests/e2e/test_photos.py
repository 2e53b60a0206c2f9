"""Progress photos end to end: captioned photos saved with a snapshot, /photos list/compare/share, coach access."""

import datetime as dt

from sqlalchemy import text

from bot.local_api import RecordedMessage
from fitness_core.db import APP_ROLE
from tests.e2e.harness import Harness, Person

TODAY = dt.date(2026, 11, 25)  # the harness clock's date (UTC, the default time zone)


async def send_photo(bot: Harness, person: Person, caption: str | None, file_id: str) -> list[RecordedMessage]:
    """The person sends a photo; every bot message it caused."""
    seen = {m.message_id for m in bot.api.messages(person.chat_id)}
    bot.api.user_sends_photo(person.user_id, caption=caption, file_id=file_id)
    await bot.settle()
    return [m for m in bot.api.bot_messages(person.chat_id) if m.message_id not in seen]


async def send_one(bot: Harness, person: Person, caption: str | None, file_id: str) -> RecordedMessage:
    replies = await send_photo(bot, person, caption, file_id)
    assert len(replies) == 1, [r.shown_text for r in replies]
    return replies[0]


def execute(bot: Harness, sql: str, **params) -> None:
    with bot.admin.begin() as conn:
        conn.execute(text(sql), params)


def weigh_in(bot: Harness, user_id: int, day: dt.date, weight: float | None, body_fat: float | None = None) -> None:
    execute(
        bot,
        "INSERT INTO health_metrics (user_id, recorded_date, weight_lbs, body_fat_percentage) VALUES (:u, :d, :w, :b)",
        u=user_id,
        d=day,
        w=weight,
        b=body_fat,
    )


def photo_rows(bot: Harness, user_id: int) -> list:
    return bot.query(
        "SELECT photo_url, photo_type, photo_date, weight_lbs::float AS weight_lbs,"
        " body_fat_percentage::float AS body_fat_percentage, notes, is_public "
        "FROM progress_photos WHERE user_id = :u ORDER BY id",
        u=user_id,
    )


def coach_of(bot: Harness, coach: Person, client: Person, status: str = "active") -> None:
    """Links are made by another feature; here the superuser makes the coach and the link."""
    execute(bot, "UPDATE users SET role = 'coach' WHERE id = :c", c=coach.account_id)
    execute(
        bot,
        "INSERT INTO coach_clients (coach_id, client_id, status) VALUES (:c, :k, CAST(:s AS link_status))",
        c=coach.account_id,
        k=client.account_id,
        s=status,
    )


def seen_by(bot: Harness, person: Person) -> list[str]:
    """Photo file ids a raw query sees as the application role acting for this person (row-level security)."""
    with bot.admin.begin() as conn:
        conn.execute(text(f"SET LOCAL ROLE {APP_ROLE}"))
        conn.execute(text("SELECT set_config('app.user_id', :p, true)"), {"p": str(person.account_id)})
        return list(conn.execute(text("SELECT photo_url FROM progress_photos ORDER BY id")).scalars())


def media_group(messages: list[RecordedMessage]) -> list[RecordedMessage]:
    group = [m for m in messages if m.media_group_id]
    assert group and len({m.media_group_id for m in group}) == 1, [m.shown_text for m in messages]
    return group


async def test_front_caption_saves_a_private_photo_with_that_days_snapshot(bot):
    sam = bot.person(701)
    await sam.register("sam")
    weigh_in(bot, sam.account_id, TODAY - dt.timedelta(days=1), 182.0, 19.0)
    weigh_in(bot, sam.account_id, TODAY, 180.4, 18.0)
    reply = await send_one(bot, sam, "front", "file-front-1")
    assert "front" in reply.shown_text and "today" in reply.shown_text and "Wed Nov 25" in reply.shown_text
    assert "180.4 lb" in reply.shown_text and "18% body fat" in reply.shown_text
    assert "today's weigh-in" in reply.shown_text and "Private" in reply.shown_text
    assert reply.buttons == []  # no coach, nobody to share with
    assert [tuple(r) for r in photo_rows(bot, sam.account_id)] == [
        ("file-front-1", "front", TODAY, 180.4, 18.0, None, False)
    ]
    audit = bot.query("SELECT user_id, action FROM audit_log WHERE table_name = 'progress_photos'")
    assert [tuple(r) for r in audit] == [(sam.account_id, "create")]


async def test_caption_variants_types_and_notes(bot):
    ana = bot.person(702)
    await ana.register("ana")
    captions = {
        "progress front": ("front", None),
        "front pic": ("front", None),
        "Side view": ("side", None),
        "BACK - week 4, cutting": ("back", "week 4, cutting"),
        "flex day 30": ("flex", "day 30"),
    }
    for number, caption in enumerate(captions, start=1):
        await send_one(bot, ana, caption, f"variant-{number}")
    rows = photo_rows(bot, ana.account_id)
    assert [(r.photo_type, r.notes) for r in rows] == list(captions.values())
    assert [r.photo_url for r in rows] == [f"variant-{n}" for n in range(1, 6)]


async def test_snapshot_falls_back_to_the_latest_weigh_in_of_the_week_in_the_persons_units(bot):
    kim = bot.person(703)
    await kim.register("kim")
    await kim.ask("/units metric")
    weigh_in(bot, kim.account_id, TODAY - dt.timedelta(days=3), 220.462)
    reply = await send_one(bot, kim, "side", "side-1")
    assert "100.0 kg" in reply.shown_text and "latest weigh-in, Sun Nov 22" in reply.shown_text
    assert photo_rows(bot, kim.account_id)[0].weight_lbs == 220.46
    bot.clock.advance(days=8)  # now the weigh-in is 11 days old: no snapshot
    reply = await send_one(bot, kim, "side", "side-2")
    assert "No weigh-in in the last 7 days" in reply.shown_text
    assert photo_rows(bot, kim.account_id)[1].weight_lbs is None


async def test_photo_without_a_known_caption_is_explained_and_not_saved(bot):
    lee = bot.person(704)
    await lee.register("lee")
    for number, caption in enumerate((None, "lunch", "frontal lobe", "sideways")):
        reply = await send_one(bot, lee, caption, f"odd-{number}")
        assert "Nothing was saved" in reply.shown_text and "front" in reply.shown_text
    assert bot.scalar("SELECT count(*) FROM progress_photos") == 0


async def test_unlinked_sender_gets_the_not_linked_answer(bot):
    stranger = bot.person(705)
    reply = await send_one(bot, stranger, "front", "stranger-1")
    assert "I don't know you yet" in reply.shown_text
    assert bot.scalar("SELECT count(*) FROM progress_photos") == 0


async def test_photos_lists_newest_first_by_type_and_caps_many(bot):
    max_ = bot.person(706)
    await max_.register("max")
    assert "No progress photos yet" in (await max_.ask("/photos")).shown_text
    weigh_in(bot, max_.account_id, TODAY, 190.0)
    await send_one(bot, max_, "side", "side-a")
    bot.clock.advance(days=1)
    await send_one(bot, max_, "front week 1", "front-a")
    await max_.ask("/photos share side")
    listing = (await max_.ask("/photos")).shown_text
    assert listing.index("Front (1)") < listing.index("Side (1)")
    assert "• today · 190.0 lb — week 1 · 🔒 private" in listing
    assert "• yesterday · 190.0 lb · 👥 shared" in listing
    execute(
        bot,
        "INSERT INTO progress_photos (user_id, photo_date, photo_url, photo_type) "
        "SELECT :u, DATE '2026-01-01' + n, 'bulk-' || n, 'front' FROM generate_series(1, 300) AS n",
        u=max_.account_id,
    )
    listing = (await max_.ask("/photos")).shown_text
    assert "Front (301)" in listing and "…and 296 older" in listing
    assert listing.count("•") == 5 + 1
    front_only = (await max_.ask("/photos front")).shown_text
    assert "Front (301)" in front_only and "Side" not in front_only


async def test_compare_sends_the_first_and_latest_as_a_media_group(bot):
    eve = bot.person(707)
    await eve.register("eve")
    await send_one(bot, eve, "side", "side-only")
    for day, (file_id, weight) in enumerate((("front-first", 200.0), ("front-middle", 195.0), ("front-last", 190.5))):
        weigh_in(bot, eve.account_id, TODAY + dt.timedelta(days=day), weight)
        await send_one(bot, eve, "front", file_id)
        bot.clock.advance(days=1)
    messages = await eve.say("/photos compare")
    group = media_group(messages)
    assert [m.file_id for m in group] == ["front-first", "front-last"]
    first, latest = (m.shown_text for m in group)
    assert all(part in first for part in ("Front, first", "Wed Nov 25", "200.0 lb"))
    assert all(part in latest for part in ("Front, latest", "yesterday", "190.5 lb", "-9.5 lb"))
    call = bot.api.calls_to("sendMediaGroup")[-1]
    assert [item["media"] for item in call.params["media"]] == ["front-first", "front-last"]
    reply = await eve.ask("/photos compare side")
    assert "at least two side photos" in reply.shown_text
    assert "is not a photo type" in (await eve.ask("/photos compare all")).shown_text


async def test_share_button_toggles_sharing_when_there_is_a_coach(bot):
    client, coach = bot.person(708), bot.person(709)
    await client.register("client1")
    await coach.register("coach1")
    coach_of(bot, coach, client)
    reply = await send_one(bot, client, "front", "shared-1")
    assert [b["text"] for b in reply.buttons] == ["Share with my coach"]
    shared = await client.press("Share with my coach")
    assert "Shared with your coach" in shared.shown_text and [b["text"] for b in shared.buttons] == ["Make private"]
    assert bot.scalar("SELECT is_public FROM progress_photos") is True
    private = await client.press("Make private")
    assert "Private" in private.shown_text and [b["text"] for b in private.buttons] == ["Share with my coach"]
    assert bot.scalar("SELECT is_public FROM progress_photos") is False
    actions = bot.query("SELECT action FROM audit_log WHERE table_name = 'progress_photos' ORDER BY id")
    assert [a.action for a in actions] == ["create", "share", "unshare"]


async def test_bulk_share_and_private(bot):
    ivy = bot.person(710)
    await ivy.register("ivy")
    for number, caption in enumerate(("front", "front", "side")):
        await send_one(bot, ivy, caption, f"bulk-{number}")
    assert "Shared 2 front photos" in (await ivy.ask("/photos share front")).shown_text
    assert "were all shared already" in (await ivy.ask("/photos share front")).shown_text
    assert "Shared 1 photo" in (await ivy.ask("/photos share all")).shown_text
    assert bot.scalar("SELECT bool_and(is_public) FROM progress_photos") is True
    assert "Made private 3 photos" in (await ivy.ask("/photos private all")).shown_text
    assert bot.scalar("SELECT bool_or(is_public) FROM progress_photos") is False
    assert bot.scalar("SELECT count(*) FROM audit_log WHERE action IN ('share', 'unshare')") == 6
    assert "/photos compare front" in (await ivy.ask("/photos share")).shown_text  # usage


async def test_coach_sees_only_shared_photos(bot):
    client, coach = bot.person(711), bot.person(712)
    await client.register("Runner")
    await coach.register("trainer")
    coach_of(bot, coach, client)
    await send_one(bot, client, "front", "private-front")
    bot.clock.advance(days=1)
    await send_one(bot, client, "front", "shared-front")
    await client.press("Share with my coach")
    await send_one(bot, client, "back", "private-back")
    assert seen_by(bot, coach) == ["shared-front"]  # the database refuses private photos too
    listing = (await coach.ask("/photos runner")).shown_text
    assert "Runner's shared progress photos" in listing and "Front (1)" in listing and "Back" not in listing
    assert "few" in (await coach.ask("/photos runner compare front")).shown_text
    await client.ask("/photos share front")
    group = media_group(await coach.say("/photos @runner compare front"))
    assert [m.file_id for m in group] == ["private-front", "shared-front"]
    assert "Only the person in the photos" in (await coach.ask("/photos runner share all")).shown_text
    execute(bot, "UPDATE coach_clients SET status = 'ended'")
    assert seen_by(bot, coach) == []
    assert "not your client" in (await coach.ask("/photos runner")).shown_text


async def test_not_your_client_for_non_coaches_and_strangers(bot):
    client, coach, other = bot.person(713), bot.person(714), bot.person(715)
    await client.register("pat")
    await coach.register("coachy")
    await other.register("nosy")
    await send_one(bot, client, "front", "pat-front")
    await client.ask("/photos share all")
    assert "“pat” is not your client" in (await other.ask("/photos pat")).shown_text  # not a coach
    execute(bot, "UPDATE users SET role = 'coach' WHERE id = :c", c=coach.account_id)
    assert "not your client" in (await coach.ask("/photos pat")).shown_text  # a coach, but not pat's
    assert "not your client" in (await coach.ask("/photos pat compare front")).shown_text
    assert "not your client" in (await coach.ask("/photos nobody_at_all")).shown_text
