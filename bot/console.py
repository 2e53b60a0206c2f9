"""The console chat behind ``fitbot chat``.

A person types in the terminal and reads the bot's replies while the very same Application and
handlers run as on Telegram: the Application polls a LocalBotApi inside this process. Only
Telegram concepts live here; the product wiring arrives through ``application_factory``.

Button rule: a line that is a bare number N (ASCII digits, no leading zero) presses button N of
the newest bot message still in the chat, provided that message currently shows an inline
keyboard with at least N buttons (numbered left to right, top to bottom).  Any other line,
"182" after a message without buttons included, is sent to the bot as text.

Lines starting with "!" are for the console itself, never sent: `!photo CAPTION` sends a photo
(for progress photos), `!as NAME` continues as another person in their own private chat (to
try a coach and a client in one terminal; messages to the others are shown with their name),
and `!help` lists these.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any, TextIO

from telegram.ext import Application

from bot.local_api import ChatEvent, LocalBotApi, RecordedMessage

ApplicationFactory = Callable[[str, str, str], Application]
"""(base_url, base_file_url, token) -> an Application not yet initialized."""

QUIT_COMMAND = "/quit"
CONSOLE_HELP = (
    "Console commands (not sent to the bot): !photo CAPTION sends a photo, "
    "!as NAME continues as another person, !help shows this. /quit leaves."
)
_ALBUM_MAX_ITEMS = 10
_SNIPPET_LENGTH = 40


async def run_console(
    application_factory: ApplicationFactory,
    *,
    input_stream: TextIO | None = None,
    output_stream: TextIO | None = None,
    user_id: int = 1,
    first_name: str = "You",
    username: str = "you",
    token: str = "console:local",
    echo_input: bool = False,
    settle_timeout: float = 10.0,
    quiet_period: float = 0.05,
) -> None:
    """Chat until end of input or /quit; returns once the bot has answered the last line."""
    source = sys.stdin if input_stream is None else input_stream
    async with LocalBotApi(token=token) as api:
        api.register_user(user_id, first_name=first_name, username=username)
        transcript = Transcript(api, user_id, sys.stdout if output_stream is None else output_stream)
        transcript.names[user_id] = first_name
        api.add_listener(transcript.show)
        application = application_factory(api.base_url, api.base_file_url, token)
        async with api.running(application):
            bot = application.bot
            transcript.note(
                f"Chatting with {bot.first_name} (@{bot.username}). Type {QUIT_COMMAND} or press Ctrl-D to leave."
            )
            session = _Session(api, application, user_id, transcript, settle_timeout, quiet_period)
            await session.run(source, echo_input)


class _Session:
    def __init__(
        self,
        api: LocalBotApi,
        application: Application,
        user_id: int,
        transcript: Transcript,
        settle_timeout: float,
        quiet_period: float,
    ) -> None:
        self._api = api
        self._application = application
        self._user_id = user_id
        self._transcript = transcript
        self._settle_timeout = settle_timeout
        self._quiet_period = quiet_period
        self._people = {name.lower(): chat for chat, name in transcript.names.items()}
        self._photos = 0

    async def run(self, source: TextIO, echo_input: bool) -> None:
        async for line in _lines(source):
            text = line.strip()
            if not text:
                continue
            if text == QUIT_COMMAND:
                return
            if echo_input:
                self._transcript.note(f"you: {text}")
            if text.startswith("!"):
                self._console_command(text)
                if not text.startswith("!photo"):
                    continue
            else:
                self._send(text)
            # Waiting for the answer before reading on makes the button rule deterministic
            # for piped input, and mirrors a person reading the reply before typing.
            await self._settle()

    def _send(self, text: str) -> None:
        pressed = self._pressed_button(text)
        if pressed is None:
            self._api.user_sends_text(self._user_id, text)
            return
        message, button = pressed
        if "callback_data" in button:
            self._api.user_presses_button(self._user_id, message.message_id, button["callback_data"])
        elif "url" in button:
            self._transcript.note(f"(link: {button['url']})")
        else:
            self._transcript.note(f'(the button "{button["text"]}" cannot be used in the console)')

    def _console_command(self, text: str) -> None:
        command, _, rest = text.partition(" ")
        rest = rest.strip()
        if command == "!photo":
            self._photos += 1
            self._api.user_sends_photo(self._user_id, caption=rest or None, file_id=f"console-photo-{self._photos}")
        elif command == "!as" and rest:
            self._switch_to(rest)
        else:
            self._transcript.note(CONSOLE_HELP)

    def _switch_to(self, name: str) -> None:
        """Become `name` (a new person the first time), chatting with the bot in their own chat."""
        user_id = self._people.get(name.lower())
        if user_id is None:
            user_id = max(self._people.values()) + 1
            self._people[name.lower()] = user_id
            self._api.register_user(user_id, first_name=name, username=name.lower())
        self._user_id = user_id
        self._transcript.current = user_id
        self._transcript.names[user_id] = name
        self._transcript.note(f"(you are now {name})")

    def _pressed_button(self, text: str) -> tuple[RecordedMessage, dict[str, Any]] | None:
        if not (text.isascii() and text.isdigit()) or text.startswith("0"):
            return None
        latest = self._api.last_bot_message(self._user_id)
        if latest is None or int(text) > len(latest.buttons):
            return None
        return latest, latest.buttons[int(text) - 1]

    async def _settle(self) -> None:
        """Until the bot has handled what was sent: updates taken from the server, the
        Application's queue processed, then no bot call for a quiet period (which covers
        non-blocking handlers and follow-up sends)."""
        try:
            async with asyncio.timeout(self._settle_timeout):
                await self._api.wait_for_updates_consumed(timeout=None)
                await self._application.update_queue.join()
                await self._api.wait_for_quiet(self._quiet_period, timeout=None)
        except TimeoutError:
            self._transcript.note("(the bot is still busy; carrying on)")


async def _lines(stream: TextIO) -> AsyncIterator[str]:
    """Lines of a blocking text stream, read on a daemon thread so that a pending terminal read
    neither blocks the event loop nor keeps the process alive after the session ends."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        with contextlib.suppress(RuntimeError):  # the loop is gone: the session already ended
            try:
                for line in iter(stream.readline, ""):
                    loop.call_soon_threadsafe(queue.put_nowait, line)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="console-input", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line


class Transcript:
    """Prints what happens in the user's private chat the way a person would see it."""

    def __init__(self, api: LocalBotApi, chat_id: int, output: TextIO) -> None:
        self._api = api
        self._output = output
        self.current = chat_id
        self.names: dict[int, str] = {}  # the console's people: chat id -> name
        self._shown_albums: set[str] = set()

    def note(self, line: str) -> None:
        self._output.write(line + "\n")
        self._output.flush()

    def show(self, event: ChatEvent) -> None:
        if event.chat_id not in self.names:
            return
        message = event.message
        if event.kind == "callback_answer":
            self._show_answer(event.answer or {})
        elif event.kind == "deleted":
            if message.from_bot:
                self.note(f"(the bot deleted its message: {_snippet(message)})")
            else:
                self.note("(your message was deleted from the chat)")
        elif message.from_bot:
            self._show_message(message, edited=event.kind == "edited")

    def _show_message(self, message: RecordedMessage, *, edited: bool) -> None:
        album = message.media_group_id
        if album and not edited:
            if album in self._shown_albums:
                return  # the whole album went out on one line with its first item
            self._shown_albums.add(album)
            body = _album(self._album_items(message.chat_id, album))
        else:
            body = _describe(message)
        first, *rest = body.split("\n")
        to = "" if message.chat_id == self.current else f"(to {self.names[message.chat_id]}) "
        self.note(to + ("bot (edited): " if edited else "bot: ") + first)
        for line in rest:
            self.note("    " + line)
        if message.buttons:
            self.note("    " + "  ".join(f"[{n}] {b['text']}" for n, b in enumerate(message.buttons, 1)))
        keyboard = (message.reply_markup or {}).get("keyboard")
        if keyboard:
            labels = (b["text"] if isinstance(b, dict) else b for row in keyboard for b in row)
            self.note("    keyboard: " + " ".join(f"[{label}]" for label in labels))

    def _album_items(self, chat_id: int, album: str) -> list[RecordedMessage]:
        recent = self._api.messages(chat_id)[-_ALBUM_MAX_ITEMS:]
        return [item for item in recent if item.media_group_id == album]

    def _show_answer(self, answer: dict[str, Any]) -> None:
        if answer.get("text"):
            self.note(f"({'alert' if answer.get('show_alert') else 'notice'}: {answer['text']})")


def _describe(message: RecordedMessage) -> str:
    raw = message.raw
    caption = _rendered(raw, "caption")
    if "photo" in raw:
        return _media_line("photo", message.file_id or "", caption)
    if "document" in raw:
        document = raw["document"]
        return _media_line("document", f"{document.get('file_name')} ({document['file_id']})", caption)
    return _rendered(raw, "text")


def _album(items: list[RecordedMessage]) -> str:
    listed = ", ".join(f"{'photo' if 'photo' in item.raw else 'document'} {item.file_id}" for item in items)
    caption = next((text for item in items if (text := _rendered(item.raw, "caption"))), "")
    return _media_line("album", listed, caption)


def _media_line(label: str, what: str, caption: str) -> str:
    caption = " ".join(caption.split())
    return f"[{label}: {what}, caption: {caption}]" if caption else f"[{label}: {what}]"


def _rendered(raw: dict[str, Any], field: str) -> str:
    """Text as Telegram displays it; link targets, invisible in a terminal, follow in brackets."""
    text = raw.get(field) or ""
    entities = raw.get("entities" if field == "text" else "caption_entities") or []
    links = sorted((e for e in entities if e["type"] == "text_link"), key=lambda e: e["offset"] + e["length"])
    if not links:
        return text
    units = text.encode("utf-16-le")  # entity offsets count UTF-16 code units
    pieces, position = [], 0
    for link in links:
        end = 2 * (link["offset"] + link["length"])
        pieces.append(units[position:end].decode("utf-16-le"))
        if units[2 * link["offset"] : end].decode("utf-16-le") != link["url"]:
            pieces.append(f" ({link['url']})")
        position = end
    pieces.append(units[position:].decode("utf-16-le"))
    return "".join(pieces)


def _snippet(message: RecordedMessage) -> str:
    shown = " ".join((message.shown_text or message.kind).split())
    return shown if len(shown) <= _SNIPPET_LENGTH else shown[: _SNIPPET_LENGTH - 1] + "…"
