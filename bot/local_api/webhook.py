"""Pushing updates to a bot's webhook the way Telegram does: retried until accepted, and never
two updates of one chat in flight at once, so a chat's updates arrive in order while different
chats are delivered concurrently.

The pusher shares the event loop (and CPU) with the bot under test, so it speaks HTTP/1.1 over
raw keep-alive streams instead of a general-purpose client.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from bot.local_api.wire import read_response

_FIRST_RETRY_DELAY = 0.01
_MAX_RETRY_DELAY = 0.5
_ATTEMPT_TIMEOUT = 10.0
_DELIVERY_ERRORS = (OSError, EOFError, ValueError, asyncio.LimitOverrunError)


def update_chat_key(update: dict[str, Any]) -> int | None:
    for kind, body in update.items():
        if kind == "update_id" or not isinstance(body, dict):
            continue
        chat = body.get("chat") or (body.get("message") or {}).get("chat") or body.get("from")
        return chat.get("id") if chat else None
    return None


class _Endpoint:
    """One keep-alive connection to the webhook, reopened whenever it breaks."""

    def __init__(self, url: str, secret_token: str | None) -> None:
        parts = urlsplit(url)
        self._host = parts.hostname or "127.0.0.1"
        self._tls = parts.scheme == "https"
        self._port = parts.port or (443 if self._tls else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # PTB's webhook refuses any Content-Type but exactly "application/json".
        head = f"POST {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
        if secret_token:
            head += f"X-Telegram-Bot-Api-Secret-Token: {secret_token}\r\n"
        self._head = (head + "Content-Length: ").encode()
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, body: bytes) -> int:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self._host, self._port, ssl=self._tls or None)
        reader, writer = self._streams
        writer.write(self._head + str(len(body)).encode() + b"\r\n\r\n" + body)
        await writer.drain()
        status, keep_alive = await read_response(reader)
        if not keep_alive:
            self.close()
        return status

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


class WebhookDelivery:
    def __init__(
        self,
        url: str,
        secret_token: str | None,
        max_connections: int,
        *,
        on_delivered: Callable[[], None],
        on_failed: Callable[[str], None],
    ) -> None:
        self.url = url
        self.max_connections = max_connections
        self._on_delivered = on_delivered
        self._on_failed = on_failed
        # A chat key is in _queues exactly while it waits in _ready or one worker owns it.
        self._queues: dict[int | None, deque[dict]] = {}
        self._ready: asyncio.Queue[int | None] = asyncio.Queue()
        self.pending_count = 0
        self._workers = [asyncio.create_task(self._work(_Endpoint(url, secret_token))) for _ in range(max_connections)]

    def put(self, update: dict[str, Any]) -> None:
        key = update_chat_key(update)
        self.pending_count += 1
        queue = self._queues.get(key)
        if queue is None:
            self._queues[key] = deque([update])
            self._ready.put_nowait(key)
        else:
            queue.append(update)

    async def close(self) -> list[dict[str, Any]]:
        """Stop delivering; returns the undelivered updates (in update_id order)."""
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        left = [update for queue in self._queues.values() for update in queue]
        return sorted(left, key=lambda update: update["update_id"])

    async def _work(self, endpoint: _Endpoint) -> None:
        try:
            while True:
                key = await self._ready.get()
                queue = self._queues[key]
                await self._deliver(endpoint, queue[0])  # stays queued until accepted: close() keeps it
                queue.popleft()
                self.pending_count -= 1
                if queue:
                    self._ready.put_nowait(key)
                else:
                    del self._queues[key]
                self._on_delivered()
        finally:
            endpoint.close()

    async def _deliver(self, endpoint: _Endpoint, update: dict[str, Any]) -> None:
        body = json.dumps(update).encode()
        delay = _FIRST_RETRY_DELAY
        while True:
            try:
                async with asyncio.timeout(_ATTEMPT_TIMEOUT):
                    status = await endpoint.post(body)
            except _DELIVERY_ERRORS as exc:
                endpoint.close()
                error = f"Connection failed: {exc.__class__.__name__}"
            else:
                if 200 <= status < 300:
                    return
                error = f"Wrong response from the webhook: {status}"
            self._on_failed(error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, _MAX_RETRY_DELAY)
