"""Bring a desk's database file to the newest schema, as the desk does on start."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

import app


def migrations_dir() -> Path:
    override = os.environ.get("BACKROOM_MIGRATIONS")
    if override:
        return Path(override)
    return Path(app.__file__).resolve().parent.parent / "migrations" / "local"


def alembic_config() -> Config:
    config = Config(str(migrations_dir() / "alembic.ini"))
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def upgrade(engine: Engine) -> None:
    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
