"""Telegram adapters, one module per area. Order matters: conversations and commands before free text."""

from handlers import account, history, logging, settings

_AREAS = (account, settings, history, logging)

ALL_HANDLERS = [handler for area in _AREAS for handler in area.HANDLERS]
ALL_COMMANDS = [command for area in _AREAS for command in area.COMMANDS]
