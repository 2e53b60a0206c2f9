"""The console chat engine, driven like a terminal session with a small test Application."""

from __future__ import annotations

import asyncio
import io
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.console import run_console

GREETING = "Chatting with Primary Assistant (@primary_assistant_bot). Type /quit or press Ctrl-D to leave."


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(f"echo: {update.message.text}")


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    buttons = [InlineKeyboardButton("Yes", callback_data="yes"), InlineKeyboardButton("No", callback_data="no")]
    await update.message.reply_text("Log it?", reply_markup=InlineKeyboardMarkup([buttons]))


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer(f"Noted {query.data}")
    await query.message.reply_text(f"You pressed {query.data}")


def counter_markup() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("+1", callback_data="inc")]])


async def count(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text("Count: 0", reply_markup=counter_markup())


async def increment(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    current = int(query.message.text.removeprefix("Count: "))
    await query.edit_message_text(f"Count: {current + 1}", reply_markup=counter_markup())


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.delete()
    await context.bot.send_message(update.effective_chat.id, "Forgotten.")


async def chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_photo(b"png bytes", caption="<b>Weekly</b>\nchart", parse_mode=ParseMode.HTML)


async def album(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_media_group([InputMediaPhoto(b"one", caption="Week 1"), InputMediaPhoto(b"two")])


async def fancy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = "<b>Bold</b> &amp; <i>it</i>: <a href='https://example.com/x'>docs</a> <code>x&lt;1</code>"
    await update.message.reply_text(text, parse_mode=ParseMode.HTML)


def console_application(base_url: str, base_file_url: str, token: str) -> Application:
    application = ApplicationBuilder().token(token).base_url(base_url).base_file_url(base_file_url).build()
    for name, callback in [
        ("menu", menu),
        ("count", count),
        ("forget", forget),
        ("chart", chart),
        ("album", album),
        ("fancy", fancy),
    ]:
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CallbackQueryHandler(increment, pattern="^inc$"))
    application.add_handler(CallbackQueryHandler(answer))
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


async def transcript(typed: str) -> list[str]:
    output = io.StringIO()
    async with asyncio.timeout(10):  # end of input must end the session
        await run_console(console_application, input_stream=io.StringIO(typed), output_stream=output, echo_input=True)
    return output.getvalue().splitlines()


async def test_replies_buttons_deletion_and_photo():
    lines = await transcript("hello\n\n/menu\n1\n2\n182\n/menu\n3\n/forget\n/chart")

    photo = lines.pop(-1)
    assert re.fullmatch(r"bot: \[photo: \S+, caption: Weekly chart\]", photo)
    assert lines == [
        GREETING,
        "you: hello",
        "bot: echo: hello",
        "you: /menu",
        "bot: Log it?",
        "    [1] Yes  [2] No",
        "you: 1",
        "(notice: Noted yes)",
        "bot: You pressed yes",
        "you: 2",  # the newest bot message has no buttons: sent as text
        "bot: echo: 2",
        "you: 182",
        "bot: echo: 182",
        "you: /menu",
        "bot: Log it?",
        "    [1] Yes  [2] No",
        "you: 3",  # only two buttons: sent as text
        "bot: echo: 3",
        "you: /forget",
        "(your message was deleted from the chat)",
        "bot: Forgotten.",
        "you: /chart",
    ]


async def test_edits_html_rendering_album_and_quit():
    lines = await transcript("/count\n1\n1\n/fancy\n/album\n/quit\nnever sent\n")

    album_line = lines.pop(-1)
    assert re.fullmatch(r"bot: \[album: photo \S+, photo \S+, caption: Week 1\]", album_line)
    assert lines == [
        GREETING,
        "you: /count",
        "bot: Count: 0",
        "    [1] +1",
        "you: 1",
        "bot (edited): Count: 1",
        "    [1] +1",
        "you: 1",  # the edited message is still the newest bot message and keeps its button
        "bot (edited): Count: 2",
        "    [1] +1",
        "you: /fancy",
        "bot: Bold & it: docs (https://example.com/x) x<1",
        "you: /album",
    ]


async def test_immediate_end_of_input_closes_cleanly():
    assert await transcript("") == [GREETING]
