"""Data shipped with the desk: The Backroom demo venue."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
BACKROOM_JSON = RESOURCES / "backroom.json"
