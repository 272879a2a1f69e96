"""What a drag carries between panels: a booking, a walk-in party, or a table."""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QMimeData

BOOKING = "application/x-backroom-booking"
WALK_IN = "application/x-backroom-walk-in"
TABLE = "application/x-backroom-table"


@dataclass(frozen=True, slots=True)
class Dragged:
    kind: str
    booking_id: str = ""
    party_size: int = 0
    table_id: str = ""


def booking_mime(booking_id: str, party_size: int) -> QMimeData:
    data = QMimeData()
    payload = {"booking_id": booking_id, "party_size": party_size}
    data.setData(BOOKING, json.dumps(payload).encode())
    data.setText(booking_id)
    return data


def walk_in_mime(party_size: int) -> QMimeData:
    data = QMimeData()
    data.setData(WALK_IN, json.dumps({"party_size": party_size}).encode())
    return data


def read(data: QMimeData) -> Dragged | None:
    for kind in (BOOKING, WALK_IN, TABLE):
        if data.hasFormat(kind):
            payload = json.loads(bytes(data.data(kind).data()).decode())
            return Dragged(kind, **payload)
    return None
