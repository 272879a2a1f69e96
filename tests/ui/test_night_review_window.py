"""The night review window on the golden night (tests/golden_night.py): what the manager sees."""

import csv
import re
from datetime import date

import pypdf
import pytest

from app.domain.permissions import Action
from app.services.review import NightReviews
from app.views.review_window import ReviewWindow
from tests.golden_night import SATURDAY, build_golden_night


@pytest.fixture
def golden(desk, manager, clock):
    return build_golden_night(desk, manager, clock)


@pytest.fixture
def review_window(qtbot, desk, manager, clock, golden):
    window = ReviewWindow(NightReviews(desk.store, clock), manager)
    qtbot.addWidget(window)
    window.show_night(SATURDAY)
    return window


def tile(window, key, panel=0):
    t = window.panels[panel].tiles[key]
    return t.value.text(), t.baseline.text()


def test_the_review_opens_on_the_golden_night_with_its_figures(review_window):
    panel = review_window.panels[0]

    assert panel.title.text() == "Saturday 28 November 2026"
    assert tile(review_window, "covers") == ("21", "not enough history")
    assert tile(review_window, "no_show_rate")[0] == "20.0%"
    assert tile(review_window, "median_turn")[0] == "105 min"
    assert tile(review_window, "deposits_forfeited")[0] == "£60.00"
    assert panel.incidents.rowCount() == 2
    assert panel.incidents.item(0, 3).text() == "Eve Eden"
    assert panel.incidents.item(1, 1).text() == "no-show"


def test_the_areas_list_names_each_area_once_and_the_tables_list_says_where_each_table_is(
    review_window,
):
    panel = review_window.panels[0]

    def row(table, r):
        return [table.item(r, c).text() for c in range(table.columnCount())]

    def head(table):
        return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]

    assert head(panel.areas) == ["Area", "Covers", "Turns", "Minutes seated", "No-shows"]
    assert [row(panel.areas, r)[0] for r in range(panel.areas.rowCount())][:2] == [
        "Main Bar",
        "Booths",
    ]
    assert head(panel.tables)[:2] == ["Table", "Area"]
    assert row(panel.tables, 0)[:2] == ["1", "Main Bar"]


def test_the_minimum_spends_list_each_party_at_a_table_sold_with_one(review_window):
    panel = review_window.panels[0]

    rows = [
        [panel.minimums.item(r, c).text() for c in range(panel.minimums.columnCount())]
        for r in range(panel.minimums.rowCount())
    ]

    # Ann on table 4 (£80), Cat on booth 9 (£150); W1 at table 13 has none.
    assert [r[2:] for r in rows] == [
        ["Ann Ash", "4", "£80.00", "£95.00", "£0.00"],
        ["Cat Cole", "9", "£150.00", "£120.00", "£30.00"],
    ]
    assert [r[0] for r in rows] == ["19:00", "23:30"]


def test_double_clicking_a_minimum_spend_shows_who_recorded_the_spend(review_window, qtbot):
    panel = review_window.panels[0]

    with qtbot.waitSignal(panel.history_requested):
        panel.minimums.cellDoubleClicked.emit(1, 0)

    last = review_window.history_dialog.rows()[-1]
    assert (last[1], last[3], last[4]) == ("Alex Moore", "record spend", "spend: — → £120.00")


def test_the_charts_plot_the_nights_figures(review_window):
    charts = review_window.panels[0].charts

    hours = charts["covers_by_hour"].chart
    assert hours.categories[:7] == ("17", "18", "19", "20", "21", "22", "23")
    assert [s.values[3] for s in hours.series] == [2, 2, 4]  # 20:00 booked, walk-in, waitlist
    assert sum(hours.total(i) for i in range(len(hours.categories))) == 21
    assert charts["party_mix"].chart.series[0].values == (2, 1, 2, 1)
    assert charts["turn_by_size"].chart.series[0].values == (77.5, 105, 115, 105)
    assert charts["deposit_waterfall"].chart.series[0].values == (18000, -6000, 12000, 6000, 6000)
    assert charts["waitlist_funnel"].chart.series[0].values == (2, 2, 1, 1, 1)


def test_switching_to_a_night_with_nothing_shows_an_empty_friendly_review(review_window):
    review_window.show_night(date(2026, 11, 27))

    panel = review_window.panels[0]
    assert panel.title.text() == "Friday 27 November 2026"
    assert "Nothing happened on this night" in panel.note.text()
    assert tile(review_window, "covers")[0] == "0"
    assert panel.incidents.rowCount() == 0


def test_a_future_night_is_refused_with_a_clear_message_and_the_last_review_stays(
    review_window,
):
    review_window.show_night(date(2026, 12, 5))

    assert review_window.message.isVisibleTo(review_window)
    assert "Sat 5 Dec 2026 has not happened yet" in review_window.message.text()
    assert review_window.current.day == SATURDAY


def test_two_nights_side_by_side(review_window):
    review_window.show_night(SATURDAY, date(2026, 11, 21))

    assert review_window.panels[1].isVisibleTo(review_window)
    assert review_window.panels[1].title.text() == "Saturday 21 November 2026"
    assert tile(review_window, "covers", panel=1)[0] == "0"
    assert tile(review_window, "covers", panel=0)[0] == "21"
    assert "vs" in review_window.windowTitle()


def test_double_clicking_a_no_show_opens_its_history(review_window, qtbot):
    panel = review_window.panels[0]

    with qtbot.waitSignal(panel.history_requested) as asked:
        panel.incidents.cellDoubleClicked.emit(1, 0)

    dialog = review_window.history_dialog
    assert asked.args == [review_window.current.review.incidents[1].booking_id]
    rows = dialog.rows()
    assert [r[3] for r in rows] == ["create booking", "record deposit payment", "set status"]
    assert rows[-1][4] == "status: confirmed → no show"
    assert rows[-1][1] == "Alex Moore"


def test_the_csv_totals_are_the_screens_to_the_penny(review_window, tmp_path):
    bookings, summary = review_window.export_csv(tmp_path)

    with bookings.open() as f:
        rows = list(csv.DictReader(f))
    with summary.open() as f:
        figures = {r["figure"]: r for r in csv.DictReader(f)}
    assert len(rows) == 11  # A B C D E F H P Q W1 W2: Quin, still waiting, included
    assert sum(int(r["covers"]) for r in rows) == 21
    assert sum(int(r["taken_pence"]) for r in rows) == int(figures["deposits_taken"]["value"])
    assert sum(int(r["refunded_pence"]) for r in rows) == 6000
    spent = sum(int(r["spend_pence"]) for r in rows if r["spend_pence"])
    assert spent == int(figures["spend"]["value"]) == 25_500
    assert sum(int(r["short_pence"]) for r in rows) == int(figures["minimum_short"]["value"])
    # Dan's prosecco was sold, but a no-show is never served: the tile counts those who came.
    served = [r for r in rows if r["package"] and r["status"] in ("seated", "completed")]
    assert sum(int(r["package_pence"]) for r in served) == int(figures["package_sales"]["value"])
    assert sorted(r["package"] for r in rows if r["package"]) == [
        "booth-bottles",
        "prosecco",
        "prosecco",
    ]
    assert figures["deposits_taken"]["shown"] == tile(review_window, "deposits_taken")[0]
    for key, t in review_window.panels[0].tiles.items():
        assert figures[key]["shown"] == t.value.text()


def test_the_pdf_names_the_night_and_its_covers(review_window, tmp_path):
    path = tmp_path / "night.pdf"

    review_window.export_pdf(path)

    reader = pypdf.PdfReader(path)
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert len(reader.pages) >= 2
    assert "night review, Saturday 28 November 2026" in text
    assert "Covers 21" in text
    assert "Eve Eden" in text
    assert "Minimum spends" in text and "Cat Cole 9 £150.00 £120.00 £30.00" in text


def test_verify_audit_log_says_the_chain_is_intact(review_window):
    words = review_window.verify_audit()

    assert words.startswith("The audit log is intact: ")


def test_reception_is_not_offered_the_review_and_is_refused_if_it_opens_anyway(
    qtbot, desk, reception, clock, make_window
):
    window = make_window(reception)
    offered = [a for a in window.actions() if a.data() == Action.VIEW_REPORTS]

    assert len(offered) == 3
    assert not any(a.isVisible() for a in offered)
    review = ReviewWindow(NightReviews(desk.store, clock), reception)
    qtbot.addWidget(review)
    assert "Sam Reid is signed in as reception" in review.message.text()
    assert review.current is None


def test_a_manager_opens_the_review_from_the_menu(desk, manager, make_window, golden):
    window = make_window(manager)
    [action] = [a for a in window.actions() if a.text() == "Night review…"]

    action.trigger()

    assert action.isVisible()
    assert window.review.window is not None
    # At nine on Sunday morning Sunday night has not begun: the review opens on Saturday.
    assert window.review.window.current.day == SATURDAY


def test_a_manager_s_desk_works_out_the_review_s_history_while_idle_and_reception_s_does_not(
    qtbot, desk, manager, reception, make_window, clock, golden
):
    from datetime import timedelta

    managers, receptions = make_window(manager), make_window(reception)

    thread = managers.review.warm_up()
    thread.join(timeout=30)
    latest = managers.review.reviews.latest_night()
    warmed = managers.review.reviews.worked_out()

    assert receptions.review.warm_up() is None
    assert warmed == [latest - timedelta(weeks=w) for w in range(12, 0, -1)]
