"""The local Bot API driven by a real python-telegram-bot Application over HTTP."""

from __future__ import annotations

import asyncio
import html
import socket

import httpx
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.local_api import LocalBotApi

TOKEN = "123456:TEST-token"
USER = 42
PHOTO = b"\x89PNG\r\n\x1a\n not really a chart"


@pytest.fixture
async def api():
    async with LocalBotApi(token=TOKEN) as server:
        yield server


def application_builder(api: LocalBotApi) -> ApplicationBuilder:
    return ApplicationBuilder().token(TOKEN).base_url(api.base_url).base_file_url(api.base_file_url)


def build_application(api: LocalBotApi, *handlers) -> Application:
    application = application_builder(api).build()
    for handler in handlers:
        application.add_handler(handler)
    return application


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


async def test_html_reply_is_recorded_and_returned_as_telegram_renders_it(api):
    sent = []

    async def shout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        text = f"💪 You said <b>{html.escape(update.message.text)}</b> &amp; more"
        sent.append(await update.message.reply_text(text, parse_mode=ParseMode.HTML))

    async with api.running(build_application(api, MessageHandler(filters.TEXT, shout))):
        api.user_sends_text(USER, "1 < 2")
        reply = await api.wait_for_bot_message(USER)

    assert reply.text == "💪 You said <b>1 &lt; 2</b> &amp; more"
    assert reply.parse_mode == "HTML"
    assert reply.raw["text"] == "💪 You said 1 < 2 & more"
    # PTB rebuilds HTML from the returned entities: only right if UTF-16 offsets are right.
    assert sent[0].text_html == "💪 You said <b>1 &lt; 2</b> &amp; more"
    assert [message.from_bot for message in api.messages(USER)] == [False, True]


async def test_button_press_edits_the_message_and_answers_the_query(api):
    async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        buttons = [
            InlineKeyboardButton("Undo", callback_data="undo"),
            InlineKeyboardButton("Keep", callback_data="keep"),
        ]
        await update.message.reply_text("Undo the last entry?", reply_markup=InlineKeyboardMarkup([buttons]))

    async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer(f"{query.data} done")
        await query.edit_message_text(f"You chose {query.data}")

    application = build_application(api, CommandHandler("menu", menu), CallbackQueryHandler(choose))
    async with api.running(application):
        api.user_sends_command(USER, "menu")
        question = await api.wait_for_bot_message(USER)
        assert [button["text"] for button in question.buttons] == ["Undo", "Keep"]
        api.user_presses_button(USER, question.message_id, "undo")
        await api.wait_until(lambda: question.edited)

    assert question.raw["text"] == "You chose undo"
    assert question.buttons == []  # an edit without reply_markup drops the keyboard, as on Telegram
    assert question.history[0].text == "Undo the last entry?"
    assert question.history[0].reply_markup["inline_keyboard"][0][1]["callback_data"] == "keep"
    [answer] = api.calls_to("answerCallbackQuery")
    assert (answer.status, answer.params["text"]) == (200, "undo done")
    with pytest.raises(ValueError):
        api.user_presses_button(USER, question.message_id, "keep")


async def test_bot_deletes_the_users_message(api):
    second_attempt = []

    async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.delete()
        try:
            await update.message.delete()
        except BadRequest as exc:
            second_attempt.append(exc.message)
        await context.bot.send_message(update.effective_chat.id, "Forgotten.")

    async with api.running(build_application(api, CommandHandler("forget", forget))):
        update = api.user_sends_command(USER, "forget")
        await api.wait_for_bot_message(USER)

    user_message = api.messages(USER)[update["message"]["message_id"] - 1]
    assert (user_message.from_bot, user_message.deleted, user_message.text) == (False, True, "/forget")
    assert second_attempt == ["Message to delete not found"]


async def test_photo_upload_reuse_by_file_id_and_download(api):
    downloaded: asyncio.Queue[bytes] = asyncio.Queue()

    async def chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        first = await update.message.reply_photo(PHOTO, caption="<i>Your chart</i>", parse_mode=ParseMode.HTML)
        await update.message.reply_photo(first.photo[-1].file_id)
        file = await context.bot.get_file(first.photo[-1].file_id)
        downloaded.put_nowait(bytes(await file.download_as_bytearray()))

    async with api.running(build_application(api, CommandHandler("chart", chart))):
        api.user_sends_command(USER, "chart")
        uploaded, reused = await api.wait_for_bot_messages(USER, 2)
        # the download URL carries the token percent-encoded ("123456%3ATEST-token")
        content = await asyncio.wait_for(downloaded.get(), 5)

    assert uploaded.kind == "photo"
    assert api.file_content(uploaded.file_id) == PHOTO
    assert (uploaded.caption, uploaded.raw["caption"]) == ("<i>Your chart</i>", "Your chart")
    assert reused.file_id == uploaded.file_id
    assert content == PHOTO


async def test_user_photo_reaches_the_handler_and_downloads(api):
    async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        data = await (await update.message.photo[-1].get_file()).download_as_bytearray()
        await update.message.reply_text(f"{len(data)} bytes: {update.message.caption}")

    async with api.running(build_application(api, MessageHandler(filters.PHOTO, on_photo))):
        api.user_sends_photo(USER, caption="lunch", content=b"x" * 100)
        reply = await api.wait_for_bot_message(USER)

    assert reply.text == "100 bytes: lunch"


async def test_documents_both_ways(api):
    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        data = await (await update.message.document.get_file()).download_as_bytearray()
        await update.message.reply_document(bytes(data).upper(), filename="LOG.CSV", caption="shouted")

    async with api.running(build_application(api, MessageHandler(filters.Document.ALL, on_document))):
        api.user_sends_document(USER, file_name="log.csv", content=b"kcal,2100\n", mime_type="text/csv")
        reply = await api.wait_for_bot_message(USER)

    assert (reply.kind, reply.raw["document"]["file_name"], reply.caption) == ("document", "LOG.CSV", "shouted")
    assert api.file_content(reply.file_id) == b"KCAL,2100\n"


async def test_media_group_is_recorded_as_one_album(api):
    async def album(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        media = [InputMediaPhoto(b"week one", caption="Weeks 1-2"), InputMediaPhoto(b"week two")]
        messages = await update.message.reply_media_group(media)
        await update.message.reply_text(f"{len(messages)} photos, group {messages[0].media_group_id}")

    async with api.running(build_application(api, CommandHandler("album", album))):
        api.user_sends_command(USER, "album")
        first, second, summary = await api.wait_for_bot_messages(USER, 3)

    assert first.media_group_id and first.media_group_id == second.media_group_id
    assert [api.file_content(item.file_id) for item in (first, second)] == [b"week one", b"week two"]
    assert (first.caption, second.caption) == ("Weeks 1-2", None)
    assert summary.text == f"2 photos, group {first.media_group_id}"


async def test_commands_set_in_post_init_are_recorded(api):
    async def post_init(application: Application) -> None:
        await application.bot.set_my_commands([("log", "Log a meal"), ("undo", "Undo the last entry")])

    async with api.running(application_builder(api).post_init(post_init).build()) as application:
        with pytest.raises(BadRequest):
            await application.bot.set_my_commands([("Log", "Commands must be lowercase")])

    assert api.commands() == [
        {"command": "log", "description": "Log a meal"},
        {"command": "undo", "description": "Undo the last entry"},
    ]
    assert [call.status for call in api.calls_to("setMyCommands")] == [200, 400]


async def test_webhook_mode_pushes_updates_with_the_secret_header(api):
    port = free_port()
    webhook_url = f"http://127.0.0.1:{port}/telegram"
    forged = {
        "update_id": 999,
        "message": {"message_id": 99, "date": 0, "chat": {"id": USER, "type": "private"}, "text": "forged"},
    }
    application = build_application(api, MessageHandler(filters.TEXT, echo))
    async with api.running(
        application,
        webhook=True,
        listen="127.0.0.1",
        port=port,
        url_path="telegram",
        webhook_url=webhook_url,
        secret_token="s3cret",
    ):
        assert api.webhook_info["url"] == webhook_url
        async with httpx.AsyncClient() as client:
            refused = await client.post(webhook_url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
        api.user_sends_text(USER, "via webhook")
        reply = await api.wait_for_bot_message(USER)

    assert refused.status_code == 403
    assert reply.text == "via webhook"
    assert [message.text for message in api.bot_messages(USER)] == ["via webhook"]
    assert api.calls_to("getUpdates") == []
    assert api.pending_update_count == 0


async def test_get_updates_conflicts_while_a_webhook_is_set_and_gets_its_backlog_after(api):
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        await bot.set_webhook("http://127.0.0.1:9/unreachable")
        update = api.user_sends_text(USER, "queued")
        with pytest.raises(Conflict):
            await bot.get_updates()
        await api.wait_until(lambda: "last_error_message" in api.webhook_info)
        assert (await bot.get_webhook_info()).pending_update_count == 1
        await bot.delete_webhook()
        [received] = await bot.get_updates(timeout=0)

    assert received.update_id == update["update_id"]


async def test_polling_offsets_and_long_poll(api):
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        first = api.user_sends_text(USER, "one")
        second = api.user_sends_text(USER, "two")
        assert [u.message.text for u in await bot.get_updates(timeout=0)] == ["one", "two"]
        confirmed = await bot.get_updates(offset=first["update_id"] + 1, timeout=0)
        assert [u.update_id for u in confirmed] == [second["update_id"]]
        assert await bot.get_updates(offset=second["update_id"] + 1, timeout=0) == ()
        assert api.pending_update_count == 0

        poll = asyncio.create_task(bot.get_updates(offset=second["update_id"] + 1, timeout=5))
        await api.wait_until(lambda: api.waiting_polls == 1)
        third = api.user_sends_text(USER, "three")
        assert [u.update_id for u in await poll] == [third["update_id"]]

        started = asyncio.get_running_loop().time()
        assert await bot.get_updates(offset=third["update_id"] + 1, timeout=0.2) == ()
        assert asyncio.get_running_loop().time() - started >= 0.2


async def test_a_repeated_update_id_reaches_the_application_twice(api):
    seen = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)
        await update.message.reply_text(f"logged {update.message.text}")

    update = api.user_sends_text(USER, "80 kg")
    api.push_update(update)
    async with api.running(build_application(api, MessageHandler(filters.TEXT, record))):
        await api.wait_for_bot_messages(USER, 2, after=0)

    assert seen == [update["update_id"], update["update_id"]]


async def test_sending_to_a_user_who_blocked_the_bot_raises_forbidden(api):
    errors: asyncio.Queue[Exception] = asyncio.Queue()

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.put_nowait(context.error)

    application = build_application(api, MessageHandler(filters.TEXT, echo))
    application.add_error_handler(on_error)
    api.user_sends_text(USER, "hello")
    api.block_user(USER)
    async with api.running(application):
        error = await asyncio.wait_for(errors.get(), 5)

    assert isinstance(error, Forbidden)
    assert error.message == "Forbidden: bot was blocked by the user"
    assert [call.status for call in api.calls_to("sendMessage")] == [403]
    assert api.bot_messages(USER) == []


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own RetryAfter init
async def test_rate_limit_answers_429_with_retry_after():
    async with LocalBotApi(token=TOKEN, rate_limit_per_second=3) as limited:
        limited.register_user(USER)
        async with Bot(TOKEN, base_url=limited.base_url) as bot:
            for number in range(3):
                await bot.send_message(USER, str(number))
            with pytest.raises(RetryAfter):
                await bot.send_message(USER, "one too many")

    assert limited.rate_limited_count == 1
    assert [call.status for call in limited.calls_to("sendMessage")] == [200, 200, 200, 429]
    assert [message.text for message in limited.bot_messages(USER)] == ["0", "1", "2"]


async def test_telegram_rejections_reach_the_bot_as_bad_request(api):
    api.register_user(USER)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        with pytest.raises(BadRequest, match="(?i)can't find end tag"):
            await bot.send_message(USER, "<b>unclosed", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="(?i)unsupported start tag"):
            await bot.send_message(USER, "line<br>break", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(USER, "x", reply_markup=too_long)
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(USER + 1, "stranger")
        sent = await bot.send_message(USER, "same")
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("same", chat_id=USER, message_id=sent.message_id)

    assert [message.text for message in api.bot_messages(USER)] == ["same"]


async def test_raw_http_paths_tokens_and_encodings(api):
    api.register_user(USER)
    async with httpx.AsyncClient(base_url=api.url) as client:
        encoded = await client.post("/bot123456%3ATEST-token/getMe")
        unknown = await client.post(f"/bot{TOKEN}/sendTelepathy")
        wrong = await client.post("/bot999:nope/getMe")
        as_json = await client.post(f"/bot{TOKEN}/sendMessage", json={"chat_id": USER, "text": "123"})

    assert encoded.json()["result"]["id"] == 123456
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
    assert (wrong.status_code, wrong.json()["description"]) == (401, "Unauthorized")
    assert as_json.json()["result"]["text"] == "123"
    with pytest.raises(InvalidToken):
        async with Bot("999:nope", base_url=api.base_url):
            pass


async def test_stop_ends_a_pending_long_poll_promptly():
    server = await LocalBotApi(token=TOKEN).start()
    async with httpx.AsyncClient() as client:
        poll = asyncio.create_task(client.post(f"{server.base_url}{TOKEN}/getUpdates", data={"timeout": "30"}))
        await server.wait_until(lambda: server.waiting_polls == 1)
        async with asyncio.timeout(2):
            await server.stop()
        with pytest.raises(httpx.HTTPError):
            await poll
