"""``backroom plan export FILE``: this desk's venue and floor plan as a plan file.

The file is what ``backroom-server create-venue`` and ``backroom init --plan`` read,
ids and all: the way a venue that ran standalone gets onto its server before the
desk uploads its night (docs/operations.md, "Going live").
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.domain.text import shown


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    plan = sub.add_parser("plan", help="this desk's venue and floor plan as a file")
    plan.add_argument("action", choices=["export"])
    plan.add_argument("file", type=Path, help="the plan file to write, e.g. snug-plan.json")
    plan.add_argument("--force", action="store_true", help="replace the file if it exists")


def plan_command(args: argparse.Namespace, db_path: Path) -> int:
    from app.models.uow import Store
    from app.services.common import system_clock
    from app.services.compose import NotSetUp
    from app.services.first_run import FirstRun
    from app.services.plan_export import export_plan

    store = Store(db_path)
    try:
        if FirstRun(store, args.clock or system_clock).needed():
            raise NotSetUp()
        done = export_plan(store, args.file, force=args.force)
    finally:
        store.close()
    name = shown(done.venue_name)
    print(
        f"Wrote {name}'s plan to {done.path}: {done.areas} area(s), {done.tables} table(s), "
        f"{done.combinations} combination(s); venue id {done.venue_id}."
    )
    print("To upload this desk's night to a server that does not have this venue yet:")
    print(f"  on the server:  backroom-server create-venue {done.path.name}")
    print(
        f"                  backroom-server create-admin --venue {done.venue_id} "
        '--username owner --name "The Owner"'
    )
    print("  on this desk:   backroom connect --server URL --user owner --upload")
    return 0
