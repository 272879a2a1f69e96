"""`backroom report night`: the golden night's figures for scripts and cron, CSV and PDF files,
and bad input refused in one line (exit 2) with nothing written."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app.cli import main
from tests.golden_night import build_golden_night

MORNING_AFTER = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def run(db_path, capsys, *args):
    code = main(["--db", str(db_path), "report", "night", *args], clock=lambda: MORNING_AFTER)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def golden(desk, manager, clock):
    return build_golden_night(desk, manager, clock)


def test_the_golden_nights_figures_as_json(golden, db_path, capsys):
    code, out, _ = run(db_path, capsys, "--date", "2026-11-28", "--json")

    assert code == 0
    report = json.loads(out)
    figures = {f["figure"]: f["value"] for f in report["figures"]}
    assert figures["covers"] == 21
    assert figures["bookings"] == 8
    assert figures["no_show_rate"] == 0.2
    assert figures["median_turn"] == 105
    assert figures["deposits_taken"] == 18000
    assert figures["deposits_outstanding"] == 6000
    assert [i["guest"] for i in report["incidents"]] == ["Eve Eden", "Dan Dale"]
    assert sum(b["covers"] for b in report["bookings"]) == 21


def test_csv_and_pdf_files_are_written_where_asked(golden, db_path, capsys, tmp_path):
    code, out, _ = run(
        db_path,
        capsys,
        "--date",
        "2026-11-28",
        "--csv",
        str(tmp_path / "csv"),
        "--pdf",
        str(tmp_path / "night.pdf"),
    )

    assert code == 0
    assert "Covers" in out and "21" in out
    assert (tmp_path / "csv" / "bookings-2026-11-28.csv").stat().st_size > 0
    assert (tmp_path / "csv" / "summary-2026-11-28.csv").stat().st_size > 0
    assert (tmp_path / "night.pdf").read_bytes().startswith(b"%PDF")


def test_a_night_with_no_bookings_prints_an_empty_friendly_review(golden, db_path, capsys):
    code, out, _ = run(db_path, capsys, "--date", "2026-11-27")

    assert code == 0
    assert "Night review, The Backroom, Friday 27 November 2026:" in out
    assert "No bookings, walk-ins or waitlist entries on this night." in out


def test_a_malformed_date_is_refused_saying_what_a_date_looks_like(db_path, capsys, store):
    with pytest.raises(SystemExit) as exit_:
        run(db_path, capsys, "--date", "28/11/2026")

    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "'28/11/2026' is not a date like 2026-11-28 (year-month-day)" in err


def test_a_future_night_is_refused_and_no_file_is_written(golden, db_path, capsys, tmp_path):
    code, _, err = run(db_path, capsys, "--date", "2026-12-05", "--pdf", str(tmp_path / "x.pdf"))

    assert code == 2
    assert err.strip() == (
        "error: Sat 5 Dec 2026 has not happened yet: the review covers nights up to "
        "tonight (Sun 29 Nov 2026)."
    )
    assert not (tmp_path / "x.pdf").exists()


def test_reception_is_refused_the_report(golden, db_path, capsys):
    code, _, err = run(db_path, capsys, "--date", "2026-11-28", "--staff", "sam")

    assert code == 2
    assert "Sam Reid is signed in as reception, who may not review the night's figures" in err
