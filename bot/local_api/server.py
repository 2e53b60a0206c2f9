"""LocalBotApi: an in-process stand-in for api.telegram.org that a real PTB Application talks HTTP
to, plus the controls tests, the console chat and the benchmark use to play the users and to
read back what the bot did."""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import logging
import math
import re
import socket
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application

from bot.local_api.markup import MarkupError, check_reply_markup, format_text, utf16_len
from bot.local_api.records import (
    ApiCall,
    ApiError,
    ChatEvent,
    MessageVersion,
    RecordedMessage,
    StoredFile,
)
from bot.local_api.running import application_lifecycle
from bot.local_api.webhook import WebhookDelivery
from bot.local_api.wire import (
    BadRequestBody,
    Request,
    Upload,
    decode_params,
    encode_response,
    json_bytes,
    read_request,
)

_LOGGER = logging.getLogger(__name__)

# Telegram's answer when allowed_updates is unset or empty.
_EXCLUDED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_RATE_LIMITED_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")
_BOT_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_FILE_MIME_TYPES = {"photo": "image/jpeg", "document": "application/octet-stream"}
_PLACEHOLDER_JPEG = b"\xff\xd8\xff\xd9"
_TEXT_LIMIT = 4096
_CAPTION_LIMIT = 1024
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class _Signal:
    """A wake-up for waiters that costs nothing when nobody waits (most sends in a benchmark)."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None

    def fire(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait(self) -> None:
        if self._event is None:
            self._event = asyncio.Event()
        await self._event.wait()


class _Chat:
    """A chat's messages; message ids are 1, 2, 3... so id ``n`` lives at ``messages[n - 1]``."""

    __slots__ = ("id", "info", "messages", "signal")

    def __init__(self, chat_id: int) -> None:
        self.id = chat_id
        self.info: dict[str, Any] | None = None  # None until a user has talked in it
        self.messages: list[RecordedMessage] = []
        self.signal = _Signal()

    def message(self, message_id: Any) -> RecordedMessage | None:
        if isinstance(message_id, int) and 0 < message_id <= len(self.messages):
            return self.messages[message_id - 1]
        return None


class LocalBotApi:
    """Fake Bot API server; with ``token=None`` any token is accepted, so a caller whose product
    code builds its own token need not share it."""

    def __init__(
        self,
        token: str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "primary_assistant_bot",
        bot_name: str = "Primary Assistant",
        rate_limit_per_second: float | None = None,
        backlog: int = 2048,
    ) -> None:
        self.token = token
        self.host = host
        self.rate_limit_per_second = rate_limit_per_second
        self.rate_limited_count = 0
        self.waiting_polls = 0
        self.polls_received = 0
        self.calls: list[ApiCall] = []
        prefix = (token or "").partition(":")[0]
        self.bot_user: dict[str, Any] = {
            "id": int(prefix) if prefix.isdigit() else 1_000_000,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self._requested_port = port
        self._backlog = backlog
        self._server: asyncio.Server | None = None
        self._port: int | None = None
        self._connections: set[asyncio.Task] = set()
        self._chats: dict[int, _Chat] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._pending: deque[dict[str, Any]] = deque()
        self._delivered = 0  # how many of _pending's first updates getUpdates already returned
        self._next_update_id = 1
        self._poll_generation = 0
        self._allowed_updates: frozenset[str] | None = None
        self._webhook: WebhookDelivery | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._callback_queries: dict[str, tuple[int | None, int | None]] = {}
        self._blocked: set[int] = set()
        self._send_times: deque[float] = deque()
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._menu_buttons: dict[Any, dict[str, Any]] = {}
        self._listeners: list[Callable[[ChatEvent], None]] = []
        self._ids = itertools.count(1)
        self._arrived = _Signal()
        self._consumed = _Signal()
        self._changed = _Signal()
        self._last_activity = 0.0
        handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": self._get_me,
            "logOut": self._accept,
            "close": self._accept,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": lambda params: self.webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": lambda params: self._commands.get(_scope_key(params), []),
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "sendMessage": self._send_message,
            "sendPhoto": lambda params: self._send_file("photo", params),
            "sendDocument": lambda params: self._send_file("document", params),
            "sendMediaGroup": self._send_media_group,
            "sendChatAction": self._send_chat_action,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": lambda params: self._edit(self._editable(params), params, {}, ()),
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "getFile": self._get_file,
            "getChat": self._get_chat,
        }
        self._methods = {name.lower(): (name, handler) for name, handler in handlers.items()}

    # ----------------------------------------------------------------- lifecycle

    async def start(self) -> LocalBotApi:
        if self._server is not None:
            raise RuntimeError("LocalBotApi is already started")
        self._server = await asyncio.start_server(self._serve, self.host, self._requested_port, backlog=self._backlog)
        self._port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Close the listener, the webhook pusher and every open connection (long polls included)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        await self._close_webhook()
        for task in self._connections:
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await server.wait_closed()

    async def __aenter__(self) -> LocalBotApi:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @asynccontextmanager
    async def running(
        self, application: Application, *, webhook: bool = False, **updater_options: Any
    ) -> AsyncIterator[Application]:
        """Run ``application`` against this server for the block: polling, or with ``webhook=True``
        serving a webhook (``updater_options`` go to start_polling / start_webhook).

        Polling mode yields only once the first getUpdates arrived: if the Updater is stopped
        while that first request is still connecting, httpx keeps PTB's one-connection
        getUpdates pool occupied and shutdown stalls for the 1 s pool timeout.
        """
        polls_before = self.polls_received

        async def receiving() -> None:
            if not webhook:
                await self.wait_until(lambda: self.polls_received > polls_before)

        async with application_lifecycle(
            application, webhook=webhook, updater_options=updater_options, receiving=receiving
        ) as running:
            yield running

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("LocalBotApi is not started")
        return self._port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder().base_url(): PTB appends the token and "/method"."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # ----------------------------------------------------------------- simulated users

    def register_user(
        self, user_id: int, *, first_name: str | None = None, username: str | None = None
    ) -> dict[str, Any]:
        """Make a user known (as if they had pressed Start) so the bot may message them first."""
        user = self._users.get(user_id) or {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User {user_id}",
            "username": f"user{user_id}",
            "language_code": "en",
        }
        changes = {key: value for key, value in (("first_name", first_name), ("username", username)) if value}
        user = self._users[user_id] = {**user, **changes}
        chat = self._chat(user_id)
        if chat.info is None or changes:
            chat.info = {
                "id": user_id,
                "type": "private",
                "first_name": user["first_name"],
                "username": user["username"],
            }
        return user

    def user_sends_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        first_name: str | None = None,
        username: str | None = None,
    ) -> dict[str, Any]:
        """Queue a text message update; a leading /command gets its bot_command entity like on Telegram."""
        content: dict[str, Any] = {"text": text}
        command = _COMMAND.match(text)
        if command:
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command.group())}]
        return self._user_message(user_id, content, chat_id, first_name, username, text=text)

    def user_sends_command(self, user_id: int, command: str, *args: str, **options: Any) -> dict[str, Any]:
        text = " ".join(["/" + command.removeprefix("/"), *args])
        return self.user_sends_text(user_id, text, **options)

    def users_send_texts(self, messages: Iterable[tuple[int, str]]) -> list[dict[str, Any]]:
        """Many users at once (benchmarks): one update per (user_id, text)."""
        return [self.user_sends_text(user_id, text) for user_id, text in messages]

    def user_sends_photo(
        self,
        user_id: int,
        *,
        caption: str | None = None,
        file_id: str | None = None,
        content: bytes = _PLACEHOLDER_JPEG,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        stored = self._files.get(file_id or "") or self._store_file("photo", content, "image/jpeg", None, file_id)
        return self._user_media(user_id, "photo", stored, caption, chat_id)

    def user_sends_document(
        self,
        user_id: int,
        *,
        file_name: str = "document.txt",
        content: bytes = b"",
        mime_type: str = "text/plain",
        caption: str | None = None,
        file_id: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        stored = self._files.get(file_id or "") or self._store_file("document", content, mime_type, file_name, file_id)
        return self._user_media(user_id, "document", stored, caption, chat_id)

    def user_presses_button(
        self, user_id: int, message_id: int, callback_data: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """Queue a callback_query for a button that really is on that bot message right now."""
        user, chat = self._conversation(user_id, chat_id, None, None)
        message = chat.message(message_id)
        if message is None or message.deleted or not message.from_bot:
            raise LookupError(f"no bot message {message_id} in chat {chat.id}")
        if not any(button.get("callback_data") == callback_data for button in message.buttons):
            raise ValueError(f"message {message_id} has no button with callback_data {callback_data!r}")
        query = {
            "id": str(next(self._ids)),
            "from": user,
            "message": message.raw,
            "chat_instance": str(chat.id),
            "data": callback_data,
        }
        return self._enqueue({"callback_query": query})

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Deliver a raw update as is; an explicit update_id may repeat (to test the bot's dedupe)."""
        if "update_id" not in update:
            return self._enqueue(update)
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        return self._deliver(update)

    def block_user(self, chat_id: int) -> None:
        """From now on the bot's sends to this chat answer 403 Forbidden."""
        self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    # ----------------------------------------------------------------- reading what happened

    def messages(self, chat_id: int) -> list[RecordedMessage]:
        """Every message of the chat, both sides, deleted ones included, oldest first."""
        chat = self._chats.get(chat_id)
        return list(chat.messages) if chat else []

    def bot_messages(self, chat_id: int) -> list[RecordedMessage]:
        return [message for message in self.messages(chat_id) if message.from_bot]

    def last_bot_message(self, chat_id: int) -> RecordedMessage | None:
        """The newest bot message still in the chat."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return None
        return next((m for m in reversed(chat.messages) if m.from_bot and not m.deleted), None)

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, str]]:
        """The command list the bot set for that scope (default scope if None)."""
        return list(self._commands.get(_scope_key({"scope": scope, "language_code": language_code}), []))

    def file_content(self, file_id: str) -> bytes:
        return self._files[file_id].content

    @property
    def pending_update_count(self) -> int:
        """Updates not yet confirmed by getUpdates (polling) or accepted by the webhook."""
        return self._webhook.pending_count if self._webhook else len(self._pending)

    @property
    def webhook_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self._webhook.url if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": self.pending_update_count,
        }
        if self._webhook:
            info["max_connections"] = self._webhook.max_connections
        if self._allowed_updates:
            info["allowed_updates"] = sorted(self._allowed_updates)
        if self._webhook_error:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    def add_listener(self, listener: Callable[[ChatEvent], None]) -> None:
        """Call ``listener`` synchronously for every message, edit, deletion and callback answer."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[ChatEvent], None]) -> None:
        self._listeners.remove(listener)

    # ----------------------------------------------------------------- waiting

    async def wait_for_bot_messages(
        self, chat_id: int, count: int, *, after: int | None = None, timeout: float = 5.0
    ) -> list[RecordedMessage]:
        """The first ``count`` bot messages in the chat with message_id > ``after``
        (default: newer than every message present when called)."""
        chat = self._chat(chat_id)
        after = len(chat.messages) if after is None else after
        found: list[RecordedMessage] = []
        try:
            async with asyncio.timeout(timeout):
                while len(found := [m for m in chat.messages[after:] if m.from_bot]) < count:
                    await chat.signal.wait()
        except TimeoutError:
            seen = [m.shown_text for m in found]
            raise TimeoutError(
                f"wanted {count} bot message(s) in chat {chat_id} after #{after} within {timeout}s, got {seen}"
            ) from None
        return found[:count]

    async def wait_for_bot_message(
        self, chat_id: int, *, after: int | None = None, timeout: float = 5.0
    ) -> RecordedMessage:
        return (await self.wait_for_bot_messages(chat_id, 1, after=after, timeout=timeout))[0]

    async def wait_until(self, predicate: Callable[[], bool], *, timeout: float = 5.0) -> None:
        """Re-check ``predicate`` after every bot call or chat change until it holds.

        Only server-side state changes wake it; to await the bot's own state, use an event of yours.
        """
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    await self._changed.wait()
        except TimeoutError:
            raise TimeoutError(f"condition still false after {timeout}s") from None

    async def wait_for_updates_consumed(self, *, timeout: float | None = 5.0) -> None:
        """Until the bot has taken every queued update (confirmed by offset, or accepted by webhook)."""
        async with asyncio.timeout(timeout):
            while self.pending_update_count:
                await self._consumed.wait()

    async def wait_for_quiet(self, period: float = 0.05, *, timeout: float | None = 5.0) -> None:
        """Until the bot has made no call other than getUpdates for ``period`` seconds."""
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(timeout):
            while (delay := self._last_activity + period - loop.time()) > 0:
                await asyncio.sleep(delay)

    # ----------------------------------------------------------------- HTTP

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while (request := await read_request(reader)) is not None:
                status, body, content_type = await self._respond(request)
                writer.write(encode_response(status, body, content_type, request.keep_alive))
                await writer.drain()
                if not request.keep_alive:
                    break
        except (ConnectionError, ValueError, asyncio.LimitOverrunError):
            pass  # a client that hung up or spoke garbage: just drop the connection
        except asyncio.CancelledError:
            pass  # stop() ends connections this way; on 3.11 a cancelled handler task logs a traceback
        finally:
            self._connections.discard(task)
            writer.close()

    async def _respond(self, request: Request) -> tuple[int, bytes, str]:
        path = request.path
        if path.startswith("/file/bot"):
            return self._download(path.removeprefix("/file/bot"))
        if not path.startswith("/bot"):
            return _failure(ApiError(404, "Not Found"))
        token, _, name = path.removeprefix("/bot").partition("/")
        if self.token is not None and token != self.token:
            return _failure(ApiError(401, "Unauthorized"))
        method, handler = self._methods.get(name.lower(), (name, None))
        params: dict[str, Any] = {}
        try:
            params = decode_params(request)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            if method in _RATE_LIMITED_METHODS:
                self._take_send_slot()
            result = handler(params)
            if inspect.isawaitable(result):
                result = await result
            status, payload = 200, {"ok": True, "result": result}
        except BadRequestBody as exc:
            status, payload = 400, ApiError(400, f"Bad Request: {exc}").payload()
        except ApiError as exc:
            status, payload = exc.status, exc.payload()
        except Exception:
            _LOGGER.exception("LocalBotApi failed on %s", method)
            status, payload = 500, ApiError(500, "Internal Server Error").payload()
        now = asyncio.get_running_loop().time()
        self.calls.append(ApiCall(method, params, status, now))
        if method != "getUpdates":
            self._last_activity = now
        self._changed.fire()
        return status, json_bytes(payload), "application/json"

    def _download(self, rest: str) -> tuple[int, bytes, str]:
        token, _, file_path = rest.partition("/")
        if self.token is not None and token != self.token:
            return _failure(ApiError(401, "Unauthorized"))
        stored = self._files_by_path.get(file_path)
        if stored is None:
            return _failure(ApiError(404, "Not Found"))
        return 200, stored.content, stored.mime_type

    def _take_send_slot(self) -> None:
        if self.rate_limit_per_second is None:
            return
        now = asyncio.get_running_loop().time()
        window = self._send_times
        while window and window[0] <= now - 1.0:
            window.popleft()
        if len(window) >= self.rate_limit_per_second:
            self.rate_limited_count += 1
            retry_after = max(1, math.ceil(window[0] + 1.0 - now))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        window.append(now)

    # ----------------------------------------------------------------- updates

    def _enqueue(self, body: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self._next_update_id, **body}
        self._next_update_id += 1
        return self._deliver(update)

    def _deliver(self, update: dict[str, Any]) -> dict[str, Any]:
        kind = next(key for key in update if key != "update_id")
        allowed = self._allowed_updates
        if (kind not in allowed) if allowed else (kind in _EXCLUDED_BY_DEFAULT):
            return update  # Telegram never creates updates the bot did not ask for
        query = update.get("callback_query")
        if query:
            message = query.get("message") or {}
            origin = ((message.get("chat") or {}).get("id"), message.get("message_id"))
            self._callback_queries[str(query["id"])] = origin
        if self._webhook:
            self._webhook.put(update)
        else:
            self._pending.append(update)
            self._arrived.fire()
        return update

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.polls_received += 1
        self._changed.fire()
        generation = self._poll_generation = self._poll_generation + 1
        self._check_polling_allowed(generation)
        self._arrived.fire()  # an older long poll still waiting ends with 409, as on Telegram
        if "offset" in params:
            self._confirm(params["offset"])
        if "allowed_updates" in params:
            self._allowed_updates = frozenset(params["allowed_updates"]) or None
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(float(params.get("timeout", 0)), 0.0)
        while not (batch := self._take(limit)):
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._wait_for_arrival(remaining)
            self._check_polling_allowed(generation)
        return batch

    def _check_polling_allowed(self, generation: int) -> None:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
            )

    async def _wait_for_arrival(self, timeout: float) -> None:
        self.waiting_polls += 1
        self._changed.fire()
        try:
            async with asyncio.timeout(timeout):
                await self._arrived.wait()
        except TimeoutError:
            pass
        finally:
            self.waiting_polls -= 1

    def _take(self, limit: int) -> list[dict[str, Any]]:
        batch = list(itertools.islice(self._pending, limit))
        self._delivered = max(self._delivered, len(batch))
        return batch

    def _confirm(self, offset: int) -> None:
        """Forget updates the bot has acknowledged.

        Positional rather than purely by id because push_update may repeat or reorder ids: an
        offset confirms returned updates up to the last returned one with id offset - 1
        (PTB always sends last id + 1), else the returned ones below the offset.
        """
        returned = list(itertools.islice(self._pending, self._delivered))
        ids = [update["update_id"] for update in returned]
        if offset - 1 in ids:
            count = len(ids) - ids[::-1].index(offset - 1)
        else:
            count = sum(1 for _ in itertools.takewhile(lambda update_id: update_id < offset, ids))
        for _ in range(count):
            self._pending.popleft()
        self._delivered -= count
        if count:
            self._consumed.fire()

    # ----------------------------------------------------------------- webhook

    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url") or ""
        if not url:
            return await self._delete_webhook(params)
        if not url.startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if "allowed_updates" in params:
            self._allowed_updates = frozenset(params["allowed_updates"]) or None
        waiting = await self._take_back_updates(params)
        self._webhook = WebhookDelivery(
            url,
            secret,
            int(params.get("max_connections") or 40),
            on_delivered=self._consumed.fire,
            on_failed=self._note_webhook_error,
        )
        self._webhook_error = None
        for update in waiting:
            self._webhook.put(update)
        self._arrived.fire()  # a long poll still waiting now ends with 409
        return True

    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self._pending.extend(await self._take_back_updates(params))
        return True

    async def _take_back_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Stop any webhook and return every undelivered update (none if dropping them)."""
        waiting = await self._close_webhook() + list(self._pending)
        self._pending.clear()
        self._delivered = 0
        if params.get("drop_pending_updates"):
            self._consumed.fire()
            return []
        return waiting

    async def _close_webhook(self) -> list[dict[str, Any]]:
        webhook, self._webhook = self._webhook, None
        return await webhook.close() if webhook else []

    def _note_webhook_error(self, message: str) -> None:
        self._webhook_error = (int(time.time()), message)

    # ----------------------------------------------------------------- bot settings

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _accept(self, params: dict[str, Any]) -> bool:
        return True

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100 BotCommand")
        for command in commands:
            if not _BOT_COMMAND_NAME.fullmatch(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description") or "") <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[_scope_key(params)] = [
            {"command": command["command"], "description": command["description"]} for command in commands
        ]
        return True

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self._commands.pop(_scope_key(params), None)
        return True

    def _set_chat_menu_button(self, params: dict[str, Any]) -> bool:
        self._menu_buttons[params.get("chat_id")] = params.get("menu_button") or {"type": "default"}
        return True

    def _get_chat_menu_button(self, params: dict[str, Any]) -> dict[str, Any]:
        default = self._menu_buttons.get(None, {"type": "commands"})
        return self._menu_buttons.get(params.get("chat_id"), default)

    # ----------------------------------------------------------------- chats and messages

    def _chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Chat(chat_id)
        return chat

    def _conversation(
        self, user_id: int, chat_id: int | None, first_name: str | None, username: str | None
    ) -> tuple[dict[str, Any], _Chat]:
        user = self.register_user(user_id, first_name=first_name, username=username)
        if chat_id is None or chat_id == user_id:
            return user, self._chats[user_id]
        if chat_id > 0:
            raise ValueError("a positive chat_id must be the user's own id; group chat ids are negative")
        chat = self._chat(chat_id)
        if chat.info is None:
            chat.info = {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}
        return user, chat

    def _target(self, params: dict[str, Any], *, guarded: bool = True) -> _Chat:
        """The chat a bot call addresses; ``guarded`` calls are refused when the user blocked the bot."""
        chat_id = params.get("chat_id")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None or chat.info is None:
            raise ApiError(400, "Bad Request: chat not found")
        if guarded and chat.id in self._blocked:
            if chat.id > 0:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        return chat

    def _record(self, chat: _Chat, sender: dict[str, Any], content: dict[str, Any], **fields: Any) -> RecordedMessage:
        """The one place messages are born, for both sides of the chat."""
        message_id = len(chat.messages) + 1
        raw = {"message_id": message_id, "from": sender, "chat": chat.info, "date": int(time.time()), **content}
        message = RecordedMessage(chat.id, message_id, sender["is_bot"], raw, **fields)
        chat.messages.append(message)
        return message

    def _emit(self, kind: str, message: RecordedMessage, answer: dict[str, Any] | None = None) -> None:
        self._chats[message.chat_id].signal.fire()
        self._changed.fire()
        event = ChatEvent(kind, message.chat_id, message, answer)
        for listener in list(self._listeners):
            listener(event)

    def _user_message(
        self,
        user_id: int,
        content: dict[str, Any],
        chat_id: int | None,
        first_name: str | None,
        username: str | None,
        **fields: Any,
    ) -> dict[str, Any]:
        user, chat = self._conversation(user_id, chat_id, first_name, username)
        message = self._record(chat, user, content, **fields)
        self._emit("message", message)
        return self._enqueue({"message": message.raw})

    def _user_media(
        self, user_id: int, kind: str, stored: StoredFile, caption: str | None, chat_id: int | None
    ) -> dict[str, Any]:
        content = _file_content(kind, stored)
        if caption:
            content["caption"] = caption
        return self._user_message(user_id, content, chat_id, None, None, caption=caption)

    def _bot_messages(
        self, chat: _Chat, params: dict[str, Any], items: list[tuple[dict[str, Any], dict[str, Any]]]
    ) -> list[RecordedMessage]:
        """Record what the bot sent: one message per (content, source params) item."""
        markup = params.get("reply_markup")
        _check_markup(markup)
        extra = self._reply_to(chat, params)
        if markup and "inline_keyboard" in markup:
            extra["reply_markup"] = markup  # Telegram echoes only inline keyboards in the Message
        messages = [
            self._record(
                chat,
                self.bot_user,
                {**content, **extra},
                text=source.get("text"),
                caption=source.get("caption"),
                parse_mode=source.get("parse_mode"),
                reply_markup=markup,
                params=params,
            )
            for content, source in items
        ]
        for message in messages:
            self._emit("message", message)
        return messages

    def _reply_to(self, chat: _Chat, params: dict[str, Any]) -> dict[str, Any]:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return {}
        target = chat.message(message_id)
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
                return {}
            raise ApiError(400, "Bad Request: message to be replied not found")
        return {"reply_to_message": {k: v for k, v in target.raw.items() if k != "reply_to_message"}}

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(params)
        content = _formatted("text", params.get("text") or "", params)
        return self._bot_messages(chat, params, [(content, params)])[0].raw

    def _send_file(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(params)
        stored = self._input_file(kind, params.get(kind), params)
        content = {**_file_content(kind, stored), **_formatted("caption", params.get("caption") or "", params)}
        return self._bot_messages(chat, params, [(content, params)])[0].raw

    def _send_media_group(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self._target(params)
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: a media group needs 2-10 items")
        kinds = {item.get("type") for item in media}
        if "document" in kinds and len(kinds) > 1:
            raise ApiError(400, "Bad Request: documents can't be mixed with other media types")
        group_id = str(next(self._ids))
        items = []
        for item in media:
            kind = item.get("type")
            if kind not in _FILE_MIME_TYPES:
                raise ApiError(400, f"Bad Request: media type {kind!r} is not simulated")
            content = {
                **_file_content(kind, self._input_file(kind, item.get("media"), params)),
                **_formatted("caption", item.get("caption") or "", item),
                "media_group_id": group_id,
            }
            items.append((content, item))
        return [message.raw for message in self._bot_messages(chat, params, items)]

    def _send_chat_action(self, params: dict[str, Any]) -> bool:
        self._target(params)
        return True

    def _editable(self, params: dict[str, Any]) -> RecordedMessage:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: inline messages are not simulated")
        message = self._target(params).message(params.get("message_id"))
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not message.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        if "text" not in message.raw:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        content = _formatted("text", params.get("text") or "", params)
        fields = {"text": params.get("text"), "parse_mode": params.get("parse_mode")}
        return self._edit(message, params, content, ("text", "entities"), **fields)

    def _edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        if "text" in message.raw:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        content = _formatted("caption", params.get("caption") or "", params)
        fields = {"caption": params.get("caption"), "parse_mode": params.get("parse_mode")}
        return self._edit(message, params, content, ("caption", "caption_entities"), **fields)

    def _edit(
        self,
        message: RecordedMessage,
        params: dict[str, Any],
        content: dict[str, Any],
        replaced: tuple[str, ...],
        **fields: Any,
    ) -> dict[str, Any]:
        """Apply an edit; like Telegram, an edit without reply_markup removes the inline keyboard."""
        markup = params.get("reply_markup")
        _check_markup(markup)
        dropped = {*replaced, "reply_markup", "edit_date"}
        raw = {key: value for key, value in message.raw.items() if key not in dropped}
        raw.update(content)
        if markup and "inline_keyboard" in markup:
            raw["reply_markup"] = markup
        if all(raw.get(key) == message.raw.get(key) for key in (*replaced, "reply_markup")):
            raise ApiError(400, _NOT_MODIFIED)
        raw["edit_date"] = int(time.time())
        message.history.append(MessageVersion(message.text, message.caption, message.parse_mode, message.reply_markup))
        message.raw = raw
        message.reply_markup = markup
        for name, value in fields.items():
            setattr(message, name, value)
        self._emit("edited", message)
        return raw

    def _delete_message(self, params: dict[str, Any]) -> bool:
        message = self._target(params, guarded=False).message(params.get("message_id"))
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        message.deleted = True
        self._emit("deleted", message)
        return True

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        origin = self._callback_queries.pop(str(params.get("callback_query_id")), None)
        if origin is None:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        chat_id, message_id = origin
        chat = self._chats.get(chat_id) if chat_id is not None else None
        message = chat.message(message_id) if chat else None
        if message is not None:
            self._emit("callback_answer", message, params)
        return True

    def _get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(params, guarded=False)
        gifts = dict.fromkeys(
            ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels"),
            False,
        )
        return {**chat.info, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    # ----------------------------------------------------------------- files

    def _input_file(self, kind: str, value: Any, params: dict[str, Any]) -> StoredFile:
        """Resolve an upload, an attach:// reference, a URL or a known file_id."""
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, Upload):
            return self._store_file(kind, value.content, value.mime_type, value.filename)
        if value is None:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self._store_file(kind, b"", _FILE_MIME_TYPES[kind], value.rsplit("/", 1)[-1] or None)
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _store_file(
        self, kind: str, content: bytes, mime_type: str, file_name: str | None, file_id: str | None = None
    ) -> StoredFile:
        number = next(self._ids)
        extension = "jpg" if kind == "photo" else (file_name or "").rpartition(".")[2] or "bin"
        stored = StoredFile(
            file_id=file_id or f"{kind}-{number:06d}",
            file_unique_id=f"unique-{number:06d}",
            file_path=f"{kind}s/file_{number}.{extension}",
            content=content,
            mime_type=mime_type,
            file_name=file_name,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._files.get(params.get("file_id"))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }


def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.get("language_code") or ""


def _failure(error: ApiError) -> tuple[int, bytes, str]:
    return error.status, json_bytes(error.payload()), "application/json"


def _check_markup(markup: Any) -> None:
    try:
        check_reply_markup(markup)
    except MarkupError as exc:
        raise ApiError(400, str(exc)) from None


def _formatted(field: str, value: str, source: dict[str, Any]) -> dict[str, Any]:
    """Message fields for a text or caption, checked against Telegram's parse rules and limits."""
    entities_key = "entities" if field == "text" else "caption_entities"
    try:
        shown, entities = format_text(value, source.get("parse_mode"), source.get(entities_key))
    except MarkupError as exc:
        raise ApiError(400, str(exc)) from None
    if field == "text" and not shown.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    limit, problem = (
        (_TEXT_LIMIT, "message is too long") if field == "text" else (_CAPTION_LIMIT, "message caption is too long")
    )
    if len(shown) > limit:
        raise ApiError(400, f"Bad Request: {problem}")
    content: dict[str, Any] = {field: shown} if shown else {}
    if entities:
        content[entities_key] = entities
    return content


def _file_content(kind: str, stored: StoredFile) -> dict[str, Any]:
    ids = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "file_size": len(stored.content)}
    if kind == "photo":
        return {"photo": [{**ids, "width": 1280, "height": 960}]}
    return {"document": {**ids, "file_name": stored.file_name or "document", "mime_type": stored.mime_type}}
