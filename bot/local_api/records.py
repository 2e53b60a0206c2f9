"""What the local Bot API remembers, in the shapes tests, the console and the benchmark read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.local_api.markup import inline_buttons


class ApiError(Exception):
    """A Bot API failure answer; raised inside method handlers, turned into the JSON error reply."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            payload["parameters"] = {"retry_after": self.retry_after}
        return payload


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One HTTP call the bot made: canonical method name, decoded params, answered status."""

    method: str
    params: dict[str, Any]
    status: int
    time: float  # event-loop clock, so rates can be computed from the log


@dataclass(frozen=True, slots=True)
class MessageVersion:
    """A message's content before one of its edits."""

    text: str | None
    caption: str | None
    parse_mode: str | None
    reply_markup: dict | None


@dataclass(slots=True, eq=False)
class RecordedMessage:
    """A message in a chat, from the bot or a simulated user.

    ``text``/``caption``/``parse_mode``/``reply_markup`` are what the bot sent (HTML markup and
    reply keyboards included); ``raw`` is the Telegram Message dict as the bot received it back,
    so ``raw["text"]`` is the plain text a user sees.  Edits replace the current content and push
    the previous one onto ``history``.
    """

    chat_id: int
    message_id: int
    from_bot: bool
    raw: dict[str, Any]
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    reply_markup: dict | None = None
    params: dict[str, Any] = field(default_factory=dict)
    history: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False

    @property
    def kind(self) -> str:
        return next(key for key in ("text", "photo", "document") if key in self.raw)

    @property
    def shown_text(self) -> str | None:
        """Text or caption as the user reads it (markup already applied)."""
        return self.raw.get("text", self.raw.get("caption"))

    @property
    def file_id(self) -> str | None:
        if "photo" in self.raw:
            return self.raw["photo"][-1]["file_id"]
        return self.raw.get("document", {}).get("file_id")

    @property
    def media_group_id(self) -> str | None:
        return self.raw.get("media_group_id")

    @property
    def buttons(self) -> list[dict]:
        """Current inline buttons in reading order."""
        return inline_buttons(self.raw.get("reply_markup"))

    @property
    def edited(self) -> bool:
        return bool(self.history)


@dataclass(frozen=True, slots=True)
class ChatEvent:
    """Something that became visible in a chat; pushed synchronously to listeners."""

    kind: Literal["message", "edited", "deleted", "callback_answer"]
    chat_id: int
    message: RecordedMessage
    answer: dict[str, Any] | None = None  # answerCallbackQuery params for "callback_answer"


@dataclass(frozen=True, slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    mime_type: str
    file_name: str | None
