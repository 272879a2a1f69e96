"""Setting a venue up on its first run: its name, its opening hours and its plan.

One home for the rules a new venue must meet, whichever way it is typed: the
first-run window's grid, ``backroom init --hours "Mon-Thu 17:00-00:00, …"``, or
a plan file. A night may close after midnight, but not past the day boundary
(06:00 at The Backroom), where the next service day begins.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import time
from typing import Any

from app.domain.errors import InvalidInput
from app.domain.floorplan import FloorPlan
from app.domain.limits import check_place
from app.domain.plan_data import floor_plan_from_dict, floor_plan_to_dict, venue_from_dict
from app.domain.staff import check_new_pin, normalise_username, tidy_staff_name
from app.domain.venue import DEFAULT_DURATIONS, LONDON, OpeningHours

MAX_VENUE_NAME = 80
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_BOUNDARY = time(6, 0)
# A venue set up at the desk takes no deposits until a manager sets a policy.
NO_DEPOSITS: dict[str, Any] = {
    "per_head_pence": 0,
    "min_party": 1,
    "busy_weekdays": [],
    "vip_exempt": True,
}
HOURS_EXAMPLE = "Mon-Thu 17:00-00:00, Fri-Sat 17:00-02:00, Sun closed"


def check_venue_name(name: str) -> str:
    tidy = " ".join(name.split())
    if not tidy:
        raise InvalidInput("name", "Give the venue a name.")
    if len(tidy) > MAX_VENUE_NAME:
        raise InvalidInput("name", f"A venue's name is at most {MAX_VENUE_NAME} characters.")
    return tidy


def check_hours(
    hours: Mapping[int, OpeningHours], day_boundary: time = DAY_BOUNDARY
) -> dict[int, OpeningHours]:
    """Each open day's night starts after the day boundary and ends by the next one."""
    if not hours:
        raise InvalidInput("hours", "Open the venue on at least one day of the week.")
    for day, h in sorted(hours.items()):
        name = WEEKDAYS[day]
        if h.opens == h.closes:
            raise InvalidInput("hours", f"{name}: opening and closing times are the same.")
        if h.opens < day_boundary:
            raise InvalidInput(
                "hours",
                f"{name}: a night opens at {day_boundary:%H:%M} or later "
                f"(before that it is still the night before).",
            )
        if h.closes < h.opens and h.closes > day_boundary:
            raise InvalidInput(
                "hours",
                f"{name}: a night that closes after midnight closes by {day_boundary:%H:%M}.",
            )
    return dict(hours)


def parse_hours(text: str) -> dict[int, OpeningHours]:
    """``Mon-Thu 17:00-00:00, Fri-Sat 17:00-02:00, Sun closed``; a day not named is closed."""
    hours: dict[int, OpeningHours] = {}
    named: set[int] = set()
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    if not parts:
        raise InvalidInput("hours", f"Give the opening hours, like '{HOURS_EXAMPLE}'.")
    for part in parts:
        match = re.fullmatch(r"(\w+)(?:\s*-\s*(\w+))?\s+(.+)", part)
        if match is None:
            raise InvalidInput("hours", f"'{part}' is not like 'Fri-Sat 17:00-02:00'.")
        days = _days(match.group(1), match.group(2) or match.group(1))
        again = named & set(days)
        if again:
            raise InvalidInput("hours", f"{WEEKDAYS[min(again)]} is named twice.")
        named |= set(days)
        when = match.group(3).strip()
        if when.lower() == "closed":
            continue
        span = re.fullmatch(r"(\d{1,2}[:.]\d{2})\s*-\s*(\d{1,2}[:.]\d{2})", when)
        if span is None:
            raise InvalidInput("hours", f"'{when}' is not like 17:00-02:00 or 'closed'.")
        opening = OpeningHours(parse_clock(span.group(1)), parse_clock(span.group(2)))
        hours.update(dict.fromkeys(days, opening))
    return check_hours(hours)


def parse_clock(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InvalidInput("hours", f"'{text}' is not a time like 17:30.")
    return time(int(match.group(1)), int(match.group(2)))


def _days(first: str, last: str) -> list[int]:
    start, end = _weekday(first), _weekday(last)
    return [(start + i) % 7 for i in range((end - start) % 7 + 1)]


def _weekday(word: str) -> int:
    for i, name in enumerate(WEEKDAYS):
        if word[:3].lower() == name.lower() and len(word) >= 3:
            return i
    raise InvalidInput("hours", f"'{word}' is not a day of the week (Mon, Tue, … Sun).")


def describe_hours(hours: Mapping[int, OpeningHours]) -> str:
    """The hours in the words ``parse_hours`` reads."""
    return ", ".join(
        f"{name} {hours[i].opens:%H:%M}-{hours[i].closes:%H:%M}" if i in hours else f"{name} closed"
        for i, name in enumerate(WEEKDAYS)
    )


def empty_plan() -> dict[str, Any]:
    """One room and no tables yet: the manager draws them in the floor editor.

    The room has its own id, as every venue's rows do: a server holding two venues
    set up this way keeps each one's room apart (ids are unique across venues)."""
    return {"areas": [{"id": str(uuid.uuid4()), "name": "Main room", "vip": False}], "tables": []}


def check_plan(data: Any) -> FloorPlan:
    """A plan file's areas, tables and combinations, refused in plain words if unusable."""
    if not isinstance(data, Mapping):
        raise InvalidInput("plan", "A plan file holds an object with areas and tables.")
    try:
        plan = floor_plan_from_dict({"combinations": [], **data})
    except InvalidInput as error:
        raise InvalidInput("plan", f"The plan is not usable: {error}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise InvalidInput(
            "plan", f"The plan file is not a Backroom plan: {_why(error)}."
        ) from None
    if not plan.areas:
        raise InvalidInput("plan", "A plan needs at least one area.")
    areas = {a.id for a in plan.areas}
    for table in plan.tables:
        if table.area_id not in areas:
            raise InvalidInput("plan", f"{table.label} is in an area the plan does not have.")
        try:
            check_place(table.x, table.y, table.width, table.height, table.rotation)
        except InvalidInput as error:
            raise InvalidInput("plan", f"{table.label}: {error}") from None
    for item in (*plan.areas, *plan.tables, *plan.combinations):
        try:
            uuid.UUID(item.id)
        except ValueError:
            raise InvalidInput("plan", f"'{item.id}' in the plan is not an id (a UUID).") from None
    return plan


def new_venue_data(name: str, hours: Mapping[int, OpeningHours], plan: Any) -> dict[str, Any]:
    """The venue in the plan file's own shape (resources/backroom.json), checked whole.

    The name and hours are the ones given; the venue's id, durations and deposit
    policy come from the plan file when it has them, so a server loaded from the
    same file (``backroom-server create-venue``) is the same venue with the same tables.
    """
    name = check_venue_name(name)
    hours = check_hours(hours)
    floor = check_plan(plan)
    given = plan.get("venue") or {}
    venue = {
        "id": str(given.get("id") or uuid.uuid4()),
        "name": name,
        "timezone": LONDON,
        "day_boundary": f"{DAY_BOUNDARY:%H:%M}",
        "slot_minutes": given.get("slot_minutes", 15),
        "opening_hours": {
            str(day): {"opens": f"{h.opens:%H:%M}", "closes": f"{h.closes:%H:%M}"}
            for day, h in sorted(hours.items())
        },
        "durations": given.get("durations")
        or [{"max_party": d.max_party, "minutes": d.minutes} for d in DEFAULT_DURATIONS],
        "deposit_policy": given.get("deposit_policy") or NO_DEPOSITS,
    }
    try:
        venue_from_dict(venue)
        uuid.UUID(venue["id"])
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput("plan", f"The plan file's venue is not usable: {_why(error)}.") from None
    return {"venue": venue, **floor_plan_to_dict(floor)}


def _why(error: Exception) -> str:
    """A plan file's fault in words, not Python's ("KeyError('tables')")."""
    if isinstance(error, KeyError):
        return f"it has no {error.args[0]!r}" if error.args else "a part is missing"
    return str(error) or type(error).__name__


def check_first_admin(username: str, name: str, pin: str, again: str) -> tuple[str, str]:
    """The venue's first admin: a username to sign in with, a name, and a PIN typed twice
    (the same rules as every member of staff, app.domain.staff)."""
    login = normalise_username(username)
    try:
        shown = tidy_staff_name(name)
    except InvalidInput as error:
        raise InvalidInput("staff_name", str(error)) from None
    check_new_pin(pin, again)
    return login, shown
