"""End-to-end throughput: simulated people log through the local Bot API server into the real Application.

The three runs use the same harness: the same local Bot API server, the same
python-telegram-bot settings (polling, 16 concurrent updates, the bot's aiohttp
transport) and the same messages; only the handlers differ: a trivial echo;
the product's parser and a reply like the product's, without a database (the
ceiling for any way of storing the logs); then the product's own Application
(parse, one transaction, reply). The rate limiter is off in all of them, since
Telegram's 30 messages/second cap would otherwise be what is measured.

Handling time is measured inside the Application, from the first handler group
to the last, for each update. The database is an embedded PostgreSQL in a
temporary folder, created and deleted by the script.

    .venv/bin/python bench/e2e_bench.py --people 200 --messages 3000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parse_bench import build_corpus  # noqa: E402  (bench/ is the script's own folder)
from sqlalchemy import text  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.constants import ParseMode  # noqa: E402
from telegram.ext import Application, ApplicationBuilder, MessageHandler, TypeHandler, filters  # noqa: E402

from bot import schema  # noqa: E402
from bot.app import CONCURRENT_UPDATES, build_application  # noqa: E402
from bot.local_api import LocalBotApi  # noqa: E402
from bot.request import AiohttpRequest  # noqa: E402
from bot.runtime import make_runtime  # noqa: E402
from fitness_core import catalog  # noqa: E402
from fitness_core.db import start_embedded, sync_engine  # noqa: E402
from fitness_core.models import User  # noqa: E402
from fitness_core.parsing import default_resolver, parse_message  # noqa: E402
from handlers.common import Reply  # noqa: E402

TOKEN = "424242:BENCHMARK-token-0123456789abcdefghij"
FIRST_TELEGRAM_ID = 5_000_000


def create_people(admin_url: str, count: int, seed: int) -> list[int]:
    """Registered, linked people with a mix of unit settings and time zones; returns their Telegram ids."""
    hasher = User(username="bench", email="b@example.com")
    User.bcrypt_rounds = 4
    hasher.set_password("benchmark password")
    rng = random.Random(seed)
    zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
    engine = sync_engine(admin_url)
    with engine.begin() as conn:
        for n in range(count):
            user_id = conn.scalar(
                text("INSERT INTO users (username, email, password_hash) VALUES (:u, :e, :h) RETURNING id"),
                {"u": f"bench{n}", "e": f"bench{n}@example.com", "h": hasher.password_hash},
            )
            conn.execute(
                text("INSERT INTO user_settings (user_id, unit_system, timezone) VALUES (:i, :s, :z)"),
                {"i": user_id, "s": rng.choice(["imperial", "metric"]), "z": rng.choice(zones)},
            )
            session_id = conn.scalar(
                text(
                    "INSERT INTO user_sessions (session_id, user_id, expires_at, remember_me) "
                    "VALUES (gen_random_uuid(), :i, now() + interval '30 days', true) RETURNING session_id"
                ),
                {"i": user_id},
            )
            conn.execute(
                text(
                    "INSERT INTO telegram_links (user_id, telegram_user_id, chat_id, session_id) VALUES (:i, :t, :t, :s)"
                ),
                {"i": user_id, "t": FIRST_TELEGRAM_ID + n, "s": session_id},
            )
    engine.dispose()
    return [FIRST_TELEGRAM_ID + n for n in range(count)]


def handler_application(handle) -> Callable[[str, str], Application]:
    """The harness's Application (the bot's transport and concurrency) with one text handler."""

    def build(base_url: str, base_file_url: str) -> Application:
        application = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(base_url)
            .base_file_url(base_file_url)
            .concurrent_updates(CONCURRENT_UPDATES)
            .request(AiohttpRequest(CONCURRENT_UPDATES + 8))
            .get_updates_request(AiohttpRequest())
            .build()
        )
        application.add_handler(MessageHandler(filters.TEXT, handle))
        return application

    return build


async def echo(update: Update, context) -> None:
    await update.effective_chat.send_message(update.effective_message.text)


async def parse_only(update: Update, context) -> None:
    """The ceiling for any database design: the product's parsing and a reply like its own, no database."""
    parse_message(update.effective_message.text, today=dt.date.today())
    reply = Reply("Logged for today:\n• weight 182.0 lb (was 183.4)", [[("Undo", "undo:1")]])
    await update.effective_chat.send_message(reply.text, parse_mode=ParseMode.HTML, reply_markup=reply.markup)


def instrument(application: Application, timings: list[float]) -> None:
    """Time each update from the first handler group to the last (start and end markers around the rest)."""
    started: dict[int, float] = {}

    async def start(update: Update, context) -> None:
        started[update.update_id] = time.perf_counter()

    async def end(update: Update, context) -> None:
        timings.append(time.perf_counter() - started.pop(update.update_id))

    application.add_handler(TypeHandler(Update, start), group=-100)
    application.add_handler(TypeHandler(Update, end), group=100)


async def measure(name: str, make_app, people: list[int], messages: list[str], warmup: int) -> dict[str, float]:
    timings: list[float] = []
    async with LocalBotApi(token=TOKEN) as api:
        for telegram_id in people:
            api.register_user(telegram_id, first_name="Bench")
        application = make_app(api.base_url, api.base_file_url)
        instrument(application, timings)
        replies = 0
        done = asyncio.Event()
        target = 0

        def count(event) -> None:
            nonlocal replies
            if event.kind == "message" and event.message.from_bot:
                replies += 1
                if replies >= target:
                    done.set()

        api.add_listener(count)
        async with api.running(application):
            for size in (warmup, len(messages)):
                replies, target = 0, size
                done.clear()
                timings.clear()
                chosen = messages[:size]
                begin = time.perf_counter()
                api.users_send_texts((people[i % len(people)], message) for i, message in enumerate(chosen))
                await asyncio.wait_for(done.wait(), 600)
                elapsed = time.perf_counter() - begin
        timings.sort()
    return {
        "name": name,
        "updates": len(messages),
        "seconds": elapsed,
        "per_second": len(messages) / elapsed,
        "p50_ms": statistics.median(timings) * 1000,
        "p99_ms": timings[int(len(timings) * 0.99) - 1] * 1000,
    }


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="fitbot-bench-") as folder:
        urls = start_embedded(Path(folder), database="fitbot_bench")
        schema.upgrade(urls.migrations)
        owner = sync_engine(urls.migrations)
        with owner.begin() as conn:
            conn.execute(catalog.upsert_definitions())
        owner.dispose()
        people = create_people(urls.admin, args.people, args.seed)
        messages = [message for message, _ in build_corpus(args.messages, args.seed)]

        def product(base_url: str, base_file_url: str) -> Application:
            runtime = make_runtime(urls.app)
            return build_application(
                runtime, token=TOKEN, base_url=base_url, base_file_url=base_file_url, rate_limiter=False
            )

        default_resolver()  # built before any run is timed, as the bot does at start
        echoed = await measure("echo handler", handler_application(echo), people, messages, args.warmup)
        parsed = await measure("parse, no database", handler_application(parse_only), people, messages, args.warmup)
        ours = await measure("fitbot logging", product, people, messages, args.warmup)
        saved = sync_engine(urls.admin)
        with saved.connect() as conn:
            logged = conn.scalar(text("SELECT count(*) FROM logged_messages"))
        saved.dispose()

    print(
        f"people: {args.people}, messages: {args.messages} (+{args.warmup} warm-up), concurrency: {CONCURRENT_UPDATES}"
    )
    print(f"{'run':<20} {'updates/s':>10} {'p50 ms':>8} {'p99 ms':>8}")
    for row in (echoed, parsed, ours):
        print(f"{row['name']:<20} {row['per_second']:>10.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}")
    print(f"fitbot / echo throughput: {ours['per_second'] / echoed['per_second']:.2f}")
    print(f"parse, no database / echo throughput: {parsed['per_second'] / echoed['per_second']:.2f}")
    print(f"messages that wrote rows (logged_messages): {logged}")
    print(
        f"reproduce: .venv/bin/python bench/e2e_bench.py --people {args.people} --messages {args.messages} --seed {args.seed}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
