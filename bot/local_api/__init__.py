"""A local Telegram Bot API server for tests, the console chat and benchmarks.

Telegram cannot be reached from here, yet the bot must be exercised through the real
python-telegram-bot stack; LocalBotApi speaks the Bot API over HTTP on 127.0.0.1 so an
Application pointed at it (``base_url``/``base_file_url``) runs unchanged.
"""

from bot.local_api.records import ApiCall, ChatEvent, MessageVersion, RecordedMessage
from bot.local_api.server import LocalBotApi
from bot.local_api.wire import Upload

__all__ = [
    "ApiCall",
    "ChatEvent",
    "LocalBotApi",
    "MessageVersion",
    "RecordedMessage",
    "Upload",
]
