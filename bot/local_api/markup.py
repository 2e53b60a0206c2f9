"""Telegram's formatting and keyboard rules, reproduced so a bot meets here the same 400s it would
meet in production (unclosed or unsupported HTML tags, oversized callback data) and reads back
the same plain text + entities Telegram returns."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

_TAG_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})
MAX_CALLBACK_DATA_BYTES = 64


class MarkupError(ValueError):
    """Carries the Bot API description ("Bad Request: ...") of a formatting mistake."""


def utf16_len(text: str) -> int:
    """Telegram measures entity offsets in UTF-16 code units, so emoji count twice."""
    return len(text.encode("utf-16-le")) // 2


def format_text(text: str, parse_mode: str | None, entities: list | None) -> tuple[str, list[dict]]:
    """The text the user sees and its entities, as Telegram returns them in the Message."""
    if not parse_mode:
        return text, entities or []
    mode = parse_mode.lower()
    if mode not in _PARSE_MODES:
        raise MarkupError(f"Bad Request: unsupported parse_mode {parse_mode!r}")
    if mode != "html" or ("<" not in text and "&" not in text):
        return text, []
    parser = _HtmlEntities(text)
    parser.feed(text)
    parser.close()
    return "".join(parser.parts), sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))


class _HtmlEntities(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._length = 0
        self._open: list[tuple[str, int, dict[str, str | None]]] = []
        self.parts: list[str] = []
        self.entities: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag not in _TAG_ENTITIES or (tag == "span" and attributes.get("class") != "tg-spoiler"):
            self._fail(f'Unsupported start tag "{tag}"')
        self._open.append((tag, self._length, attributes))

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            expected = f'"</{self._open[-1][0]}>"' if self._open else "no end tag"
            self._fail(f'Unmatched end tag, expected {expected}, found "</{tag}>"')
        _, start, attributes = self._open.pop()
        if tag == "code" and self._open and self._open[-1][0] == "pre":
            language = (attributes.get("class") or "").removeprefix("language-")
            if language:
                self._open[-1][2]["language"] = language
                return
        if self._length > start:
            self._add_entity(tag, start, attributes)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self._length += utf16_len(data)

    def close(self) -> None:
        super().close()
        if self._open:
            raise MarkupError(
                "Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
                f'"{self._open[-1][0]}"'
            )

    def _add_entity(self, tag: str, start: int, attributes: dict[str, str | None]) -> None:
        entity: dict[str, Any] = {"type": _TAG_ENTITIES[tag], "offset": start, "length": self._length - start}
        if tag == "a":
            if not attributes.get("href"):
                return
            entity["url"] = attributes["href"]
        elif tag == "pre" and attributes.get("language"):
            entity["language"] = attributes["language"]
        elif tag == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = attributes.get("emoji-id")
        self.entities.append(entity)

    def _fail(self, problem: str) -> None:
        line, column = self.getpos()
        line_start = 0
        for _ in range(line - 1):
            line_start = self._source.index("\n", line_start) + 1
        offset = len(self._source[: line_start + column].encode())
        raise MarkupError(f"Bad Request: can't parse entities: {problem} at byte offset {offset}")


def inline_buttons(reply_markup: dict | None) -> list[dict]:
    """Inline buttons in reading order (rows top to bottom, left to right)."""
    if not reply_markup:
        return []
    return [button for row in reply_markup.get("inline_keyboard", ()) for button in row]


def check_reply_markup(reply_markup: Any) -> None:
    if reply_markup is None:
        return
    if not isinstance(reply_markup, dict):
        raise MarkupError("Bad Request: can't parse reply keyboard markup JSON object")
    for button in inline_buttons(reply_markup):
        if not button.get("text"):
            raise MarkupError("Bad Request: BUTTON_TEXT_INVALID")
        if len(button) < 2:
            raise MarkupError("Bad Request: text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise MarkupError("Bad Request: BUTTON_DATA_INVALID")
