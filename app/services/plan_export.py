"""Writing this desk's venue and floor plan as a plan file, for the server to load.

A venue set up at the desk ("Set up my venue", ``backroom init --venue``) has its
own venue, area, table and combination ids. ``backroom-server create-venue FILE``
keeps a plan file's ids, so the server loaded from this file is the same venue
with the same tables, and the desk's night uploads onto it with every booking's
tables intact (docs/operations.md, "Going live").
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import InvalidInput
from app.domain.plan_data import plan_file_dict
from app.models.uow import Store


@dataclass(frozen=True, slots=True)
class ExportedPlan:
    path: Path
    venue_id: str
    venue_name: str
    areas: int
    tables: int
    combinations: int


def export_plan(store: Store, path: Path, *, force: bool = False) -> ExportedPlan:
    """Write the plan file at ``path``; an existing file is replaced only with ``force``.

    The file is written beside its target under a temporary name and renamed into
    place, so a refusal or a full disk leaves nothing (or the old file) at ``path``.
    """
    target = _check_target(path, force)
    with store.read() as reader:
        rules = reader.venue.get(areas_of_retired_tables=True)
    data = plan_file_dict(rules.venue, rules.deposits, rules.plan)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        fd, temporary = tempfile.mkstemp(prefix=".plan-", suffix=".json", dir=target.parent)
    except OSError as error:
        raise InvalidInput("file", f"Cannot write in {target.parent}: {error.strerror}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a plan file is not secret
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise InvalidInput("file", f"Cannot write {target}: {error.strerror}.") from None
    plan = rules.plan
    return ExportedPlan(
        target,
        rules.venue.id,
        rules.venue.name,
        len(plan.areas),
        len(plan.tables),
        len(plan.combinations),
    )


def _check_target(path: Path, force: bool) -> Path:
    if not str(path).strip():
        raise InvalidInput("file", "Name the plan file to write, like snug-plan.json.")
    target = Path(path).expanduser()
    if target.is_dir():
        raise InvalidInput("file", f"{target} is a folder; name a file in it, like snug-plan.json.")
    if not target.parent.is_dir():
        raise InvalidInput(
            "file", f"There is no folder {target.parent}; a plan file goes in a folder that exists."
        )
    if target.exists() and not force:
        raise InvalidInput(
            "file", f"{target} already exists; choose another name, or add --force to replace it."
        )
    return target
