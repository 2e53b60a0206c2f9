"""Settings from the environment and an optional .env file."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return platformdirs.user_data_path("fitbot")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    migration_database_url: str | None = Field(default=None, validation_alias="MIGRATION_DATABASE_URL")
    telegram_bot_token: str | None = Field(default=None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(default="https://api.telegram.org/bot", validation_alias="TELEGRAM_API_BASE_URL")
    telegram_api_file_url: str = Field(
        default="https://api.telegram.org/file/bot", validation_alias="TELEGRAM_API_FILE_URL"
    )
    webhook_url: str | None = Field(default=None, validation_alias="FITBOT_WEBHOOK_URL")
    webhook_secret: str | None = Field(default=None, validation_alias="FITBOT_WEBHOOK_SECRET")
    webhook_listen: str = Field(default="0.0.0.0", validation_alias="FITBOT_WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8443, validation_alias=AliasChoices("FITBOT_WEBHOOK_PORT", "PORT"))
    webhook_path: str = Field(default="telegram", validation_alias="FITBOT_WEBHOOK_PATH")
    data_dir: Path = Field(default_factory=default_data_dir, validation_alias="FITBOT_DATA_DIR")
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("FITBOT_LOG_LEVEL", "LOG_LEVEL"))
    bcrypt_rounds: int = Field(default=12, ge=4, le=31, validation_alias="FITBOT_BCRYPT_ROUNDS")
