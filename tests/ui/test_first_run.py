"""A new desk's first run in the window: the demo, a venue of one's own, or nothing yet."""

from __future__ import annotations

import json

from PySide6.QtCore import QTime

from app.services.compose import desk_on, open_first
from app.services.demo import demo_pins_hint
from app.views.first_run import FirstRunDialog, first_run_done
from app.views.main_window import MainWindow
from app.views.sign_in import SignInDialog


def first_run(qtbot, tmp_path, clock):
    db = tmp_path / "new.sqlite3"
    first = open_first(db, clock)
    dialog = FirstRunDialog(first, db)
    qtbot.addWidget(dialog)
    return first, dialog


def sign_in_window(qtbot, first):
    desk = desk_on(first.store, first.clock)
    dialog = SignInDialog(
        desk.auth, desk.queries.venue().venue.name, demo_hint=demo_pins_hint(desk.store)
    )
    qtbot.addWidget(dialog)
    return desk, dialog


def fill_venue(page, *, name="The Snug", username="owner", pin="4826", again="4826"):
    page.name.setText(name)
    page.username.setText(username)
    page.staff_name.setText("Rosa Lane")
    page.pin.setText(pin)
    page.again.setText(again)


def test_trying_the_demo_opens_the_backroom_with_its_night_and_its_demo_pins(
    qtbot, tmp_path, clock
):
    first, dialog = first_run(qtbot, tmp_path, clock)

    dialog.try_demo_button.click()
    desk, sign_in = sign_in_window(qtbot, first)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert sign_in.windowTitle() == "Sign in — The Backroom"
    assert "sam / 1111" in sign_in.note.text()
    assert desk.queries.bookings_on(desk.queries.tonight())
    first.store.close()


def test_a_venue_set_up_from_the_example_plan_has_its_tables_its_admin_and_no_demo(
    qtbot, tmp_path, clock
):
    first, dialog = first_run(qtbot, tmp_path, clock)
    dialog.set_up_button.click()
    page = dialog.venue
    fill_venue(page)
    page.open_on[6].setChecked(False)  # closed on Sundays
    page.closes[5].setTime(QTime(3, 0))  # Saturday runs to 03:00

    page.set_up.click()
    desk, sign_in = sign_in_window(qtbot, first)
    sign_in.username.setText("owner")
    sign_in.pin.setText("4826")
    signed_in = sign_in.try_sign_in()
    window = MainWindow(desk, sign_in.staff)
    qtbot.addWidget(window)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert window.windowTitle() == "Backroom — The Snug"
    assert signed_in and sign_in.staff.name == "Rosa Lane"
    assert "Demo staff" not in sign_in.note.text() and "1111" not in sign_in.note.text()
    assert len(desk.queries.venue().plan.tables) == 16
    assert desk.queries.bookings_on(desk.queries.tonight()) == []
    venue = desk.queries.venue().venue
    assert 6 not in venue.opening_hours and f"{venue.opening_hours[5].closes:%H:%M}" == "03:00"
    assert desk.auth.staff() == [sign_in.staff]  # no sam, alex or jo
    first.store.close()


def test_a_venue_set_up_with_an_empty_room_opens_on_an_empty_floor_to_draw(qtbot, tmp_path, clock):
    first, dialog = first_run(qtbot, tmp_path, clock)
    dialog.set_up_button.click()
    fill_venue(dialog.venue, name="Bar Nine")
    dialog.venue.plan_empty.setChecked(True)

    dialog.venue.set_up.click()
    desk = desk_on(first.store, first.clock)
    window = MainWindow(desk, desk.auth.sign_in("owner", "4826"))
    qtbot.addWidget(window)
    window.show()

    assert window.windowTitle() == "Backroom — Bar Nine"
    assert desk.queries.venue().plan.tables == ()
    assert [a.name for a in desk.queries.venue().plan.areas] == ["Main room"]
    first.store.close()


def test_a_refused_set_up_says_why_and_the_desk_stays_new_so_it_asks_again(qtbot, tmp_path, clock):
    first, dialog = first_run(qtbot, tmp_path, clock)
    dialog.set_up_button.click()
    fill_venue(dialog.venue, again="4827")

    dialog.venue.set_up.click()

    assert dialog.result() != dialog.DialogCode.Accepted
    assert "The two new PINs differ" in dialog.venue.error.text()
    assert first.needed()


def test_opening_hours_that_run_past_the_next_morning_are_refused_in_words(qtbot, tmp_path, clock):
    first, dialog = first_run(qtbot, tmp_path, clock)
    dialog.set_up_button.click()
    fill_venue(dialog.venue)
    dialog.venue.closes[4].setTime(QTime(7, 0))

    dialog.venue.set_up.click()

    assert dialog.venue.error.text() == "Fri: a night that closes after midnight closes by 06:00."
    assert first.needed()


def test_a_plan_file_that_is_not_a_plan_is_refused_and_nothing_is_written(qtbot, tmp_path, clock):
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps({"areas": [], "tables": []}))
    first, dialog = first_run(qtbot, tmp_path, clock)
    dialog.set_up_button.click()
    fill_venue(dialog.venue)
    dialog.venue.plan_file.setText(str(bad))
    dialog.venue.plan_from_file.setChecked(True)

    dialog.venue.set_up.click()

    assert dialog.venue.error.text() == "A plan needs at least one area."
    assert first.needed()


def test_scripts_desk_opens_straight_onto_the_demo_and_never_over_a_real_venue(
    qtbot, tmp_path, clock
):
    first, dialog = first_run(qtbot, tmp_path, clock)
    dialog.set_up_button.click()
    fill_venue(dialog.venue)
    dialog.venue.set_up.click()
    demo = open_first(tmp_path / "demo.sqlite3", clock)

    opened_demo = first_run_done(demo, tmp_path / "demo.sqlite3", demo=True)
    opened_real = first_run_done(first, tmp_path / "new.sqlite3", demo=True)

    real = desk_on(first.store, clock)

    assert opened_demo and demo_pins_hint(demo.store) is not None
    assert opened_real and demo_pins_hint(first.store) is None
    assert real.queries.bookings_on(real.queries.tonight()) == []
    demo.store.close()
    first.store.close()
