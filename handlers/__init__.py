"""Telegram adapters, one module per area. Order matters: conversations and commands before free text."""

from handlers import account, coach, coaching_sessions, goals, history, logging, photos, review, settings

_AREAS = (account, settings, history, goals, coaching_sessions, coach, review, photos, logging)

ALL_HANDLERS = [handler for area in _AREAS for handler in area.HANDLERS]
ALL_COMMANDS = [command for area in _AREAS for command in area.COMMANDS]
