"""``backroom report night --date YYYY-MM-DD [--json] [--csv DIR] [--pdf FILE]``: the manager's
night review for scripts and cron, from this desk's file alone (no network)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.args import night_date
from app.domain.text import shown


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="the manager's night review (figures, CSV, PDF)")
    report.add_argument("what", choices=["night"])
    report.add_argument(
        "--date", type=night_date, help="service night, YYYY-MM-DD (default: the latest night)"
    )
    report.add_argument("--json", action="store_true", help="print every figure as JSON")
    report.add_argument("--csv", type=Path, metavar="DIR", help="write bookings and summary CSV")
    report.add_argument("--pdf", type=Path, metavar="FILE", help="write an A4 PDF")
    report.add_argument("--staff", default=None, help="username acting (default: the manager)")


def report_command(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.commands import acting, open_desk_for
    from app.services.review import NightReviews
    from app.services.review_export import as_json, write_csv

    desk = open_desk_for(db_path, clock=args.clock)
    reviews = NightReviews(desk.store, desk.clock)
    staff = acting(desk, args.staff)
    reviewed = reviews.night(staff, args.date or reviews.latest_night())
    if args.json:
        print(json.dumps(as_json(reviewed), indent=2, ensure_ascii=False, default=str))
    else:
        _print(reviewed)
    if args.csv is not None:
        bookings, summary = write_csv(reviewed, args.csv)
        print(f"Wrote {bookings} and {summary}.")
    if args.pdf is not None:
        _pdf(reviewed, args.pdf)
        print(f"Wrote {args.pdf}.")
    return 0


def _print(reviewed: object) -> None:
    from app.services.review import ReviewedNight
    from app.services.review_export import incident_rows

    assert isinstance(reviewed, ReviewedNight)
    day = reviewed.day
    print(f"Night review, {reviewed.rules.venue.name}, {day:%A} {day.day} {day:%B %Y}:")
    if reviewed.review.empty:
        print("No bookings, walk-ins or waitlist entries on this night.")
    for k in reviewed.kpis:
        print(f"  {k.label:<22} {k.text:>10}   {k.baseline_text}")
    for row in incident_rows(reviewed):
        print(shown("  " + "  ".join(cell for cell in row if cell)))


def _pdf(reviewed: object, path: Path) -> None:
    """Qt paints the PDF; a script or cron job has no screen, so Qt draws off-screen
    (app.views.offscreen)."""
    from app.services.review import ReviewedNight
    from app.views.review_report import write_pdf

    assert isinstance(reviewed, ReviewedNight)
    if path.parent != Path() and not path.parent.is_dir():
        from app.domain.errors import DomainError

        raise DomainError(f"The folder {path.parent} does not exist; nothing was written.")
    write_pdf(reviewed, path)
