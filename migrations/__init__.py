"""The Alembic migrations of the desk (``local``, SQLite) and the server (``central``).

They are a package so that an installed Backroom (a wheel, a bundle) finds them beside
its own code rather than beside a checkout that is not on the reception PC.
"""

from importlib.resources import files
from pathlib import Path


def script_location(name: str) -> Path:
    """The directory of one Alembic environment: ``local`` or ``central``."""
    return Path(str(files(__name__) / name))
