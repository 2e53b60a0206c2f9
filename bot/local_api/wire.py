"""The Bot API wire format: just enough HTTP/1.1 for httpx clients, plus parameter decoding.

Hand-rolled on asyncio streams rather than a framework because the bot's benchmark pushes
thousands of requests per second through it; every request pays only for a header split and
one body decode.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, unquote

_REASONS = {status.value: status.phrase for status in HTTPStatus}
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?')
_PART_NAME = re.compile(r'\bname="([^"]*)"')
_PART_FILENAME = re.compile(r'\bfilename="([^"]*)"')

# PTB form-encodes non-string values as JSON text ("123", "true", '{"inline_keyboard": ...}').
# Only parameters known to be non-strings are decoded, so a text like "123" stays a string.
_JSON_PARAMS = frozenset(
    {
        "allowed_updates",
        "caption_entities",
        "commands",
        "entities",
        "link_preview_options",
        "media",
        "menu_button",
        "reply_markup",
        "reply_parameters",
        "scope",
    }
)
_NUMBER_PARAMS = frozenset(
    {
        "cache_time",
        "chat_id",
        "from_chat_id",
        "limit",
        "max_connections",
        "message_id",
        "message_thread_id",
        "offset",
        "reply_to_message_id",
        "timeout",
        "user_id",
    }
)
_BOOL_PARAMS = frozenset(
    {
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "disable_notification",
        "disable_web_page_preview",
        "drop_pending_updates",
        "has_spoiler",
        "protect_content",
        "show_alert",
        "show_caption_above_media",
    }
)


class BadRequestBody(ValueError):
    """The body could not be decoded; answered with 400 instead of dropping the connection."""


@dataclass(frozen=True, slots=True)
class Upload:
    """A file part of a multipart request, as the bot uploaded it."""

    filename: str
    mime_type: str
    content: bytes


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """Read one request; None when the client closed the connection between requests."""
    message = await _read_message(reader)
    if message is None:
        return None
    (method, target, version), headers, body = message
    path, _, query = target.partition("?")
    return Request(method, unquote(path), query, headers, body, _keep_alive(version, headers))


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Status of one response, and whether the connection may carry another request."""
    message = await _read_message(reader)
    if message is None:
        raise ConnectionError("connection closed before the response")
    (version, status, *_), headers, _ = message
    return int(status), _keep_alive(version, headers)


async def _read_message(reader: asyncio.StreamReader) -> tuple[list[str], dict[str, str], bytes] | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head[:-4].decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader)
    else:
        body = await reader.readexactly(int(headers.get("content-length") or 0))
    return lines[0].split(" ", 2), headers, body


def _keep_alive(version: str, headers: dict[str, str]) -> bool:
    connection = headers.get("connection", "").lower()
    return connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks = []
    while size := int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16):
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
    while await reader.readuntil(b"\r\n") != b"\r\n":
        pass  # trailer headers carry nothing the Bot API uses
    return b"".join(chunks)


def encode_response(status: int, body: bytes, content_type: str = "application/json", keep_alive: bool = True) -> bytes:
    head = (
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
    )
    if not keep_alive:
        head += "Connection: close\r\n"
    return (head + "\r\n").encode("latin-1") + body


def json_bytes(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def decode_params(request: Request) -> dict[str, Any]:
    """All parameters of a call, whichever of the three encodings PTB chose, with types restored."""
    params: dict[str, Any] = dict(parse_qsl(request.query, keep_blank_values=True)) if request.query else {}
    if request.body:
        content_type = request.headers.get("content-type", "")
        try:
            if content_type.startswith("application/json"):
                params.update(json.loads(request.body))
            elif content_type.startswith("multipart/form-data"):
                params.update(_parse_multipart(request.body, content_type))
            else:
                params.update(parse_qsl(request.body.decode(), keep_blank_values=True))
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequestBody(f"can't parse request body: {exc}") from exc
    for name, value in params.items():
        if isinstance(value, str):
            params[name] = _restore_type(name, value)
    return params


def _restore_type(name: str, value: str) -> Any:
    if name in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError as exc:
            raise BadRequestBody(f"can't parse {name} JSON object") from exc
    if name in _NUMBER_PARAMS:
        for number in (int, float):
            try:
                return number(value)
            except ValueError:
                pass
    if name in _BOOL_PARAMS:
        return value.lower() in ("true", "1")
    return value


def _parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    match = _BOUNDARY.search(content_type)
    if match is None:
        raise BadRequestBody("multipart body without boundary")
    fields: dict[str, Any] = {}
    for part in body.split(b"--" + match.group(1).encode())[1:-1]:
        head, _, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = dict(
            (name.strip().lower(), value.strip())
            for name, _, value in (line.partition(":") for line in head.decode().split("\r\n"))
        )
        disposition = headers.get("content-disposition", "")
        name = _PART_NAME.search(disposition)
        if name is None:
            continue
        data = data.removesuffix(b"\r\n")
        filename = _PART_FILENAME.search(disposition)
        if filename is None:
            fields[name.group(1)] = data.decode()
        else:
            mime_type = headers.get("content-type", "application/octet-stream")
            fields[name.group(1)] = Upload(unquote(filename.group(1)), mime_type, data)
    return fields
