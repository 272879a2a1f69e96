"""The central database's Alembic configuration, found through the installed package."""

from __future__ import annotations

from alembic.config import Config

import migrations


def alembic_config(database_url: str | None = None) -> Config:
    # Built in code, not read from alembic.ini: an installed server has no checkout beside it.
    config = Config()
    config.set_main_option("script_location", str(migrations.script_location("central")))
    if database_url is not None:
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config
