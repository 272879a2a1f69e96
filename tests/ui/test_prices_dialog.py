"""Desk → Deposits and packages…: a manager changes the deposit and adds a package, and
the booking form prices and offers by them at once; reception is not offered it; an
amount that is not one is refused in the dialog and nothing is saved."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QCheckBox, QLineEdit, QSpinBox

from tests.ui.test_booking_form import open_form
from tests.ui.test_packages import offered


def open_prices(window):
    window.act_prices.trigger()
    return window.prices_dialog


def cell(rows, row, column):
    return rows.table.cellWidget(row, column)


def queued(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT name FROM outbox WHERE name = 'set_deposit_policy'").fetchall()


def test_only_managers_and_admins_are_offered_prices(manager, reception, make_window):
    shown = {s.name: make_window(s).act_prices.isVisible() for s in (reception, manager)}

    assert shown == {"Sam Reid": False, "Alex Moore": True}


def test_a_new_deposit_and_package_price_the_next_booking_in_the_form(qtbot, manager, make_window):
    window = make_window(manager)
    dialog = open_prices(window)
    shown = [cell(dialog.packages, r, 0).text() for r in range(dialog.packages.table.rowCount())]
    most_nights = cell(dialog.tiers, 0, 1)
    assert isinstance(most_nights, QLineEdit)
    most_nights.setText("15.00")  # Wednesday is not a busy night: 8+ pay £15 a head
    dialog.packages.add_button.click()
    name, price, per_head, least, _, includes = (cell(dialog.packages, 3, c) for c in range(6))
    assert isinstance(name, QLineEdit) and isinstance(price, QLineEdit)
    assert isinstance(per_head, QCheckBox) and isinstance(least, QSpinBox)
    name.setText("Champagne tower")
    price.setText("240")
    per_head.setChecked(False)
    least.setValue(6)
    assert isinstance(includes, QLineEdit)
    includes.setText("a tower of twenty glasses")

    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    assert shown == ["Prosecco package", "Birthday package", "Booth bottle service"]
    assert dialog.note.text().startswith(
        "Version 1 is in force: the venue's plan file. Saved, these become version 2"
    )
    assert window.notice.text().startswith("✓ Deposits and packages saved as version 2")
    form = open_form(window)
    form.time.setTime(QTime(21, 0))
    form.party.setValue(8)
    qtbot.waitUntil(lambda: form.options.party_size == 8)
    assert "Champagne tower — £240.00" in offered(form.package)
    assert "£120.00" in form.deposit.text()


def test_an_amount_that_is_not_one_is_refused_in_the_dialog_and_nothing_is_saved(
    qtbot, manager, make_window, db_path
):
    window = make_window(manager)
    dialog = open_prices(window)
    cell(dialog.packages, 0, 1).setText("ten pounds")

    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    assert dialog.isVisible()
    assert "is not an amount in pounds" in dialog.error.text()
    assert queued(db_path) == []
    assert window.desk.prices.in_force().version == 1


def test_prices_and_a_table_pulled_from_another_desk_reach_an_open_window(
    qtbot, desk, manager, reception, make_window
):
    window = make_window(reception)
    form = open_form(window)
    form.party.setValue(8)
    qtbot.waitUntil(lambda: form.options.party_size == 8)
    before = offered(form.package)
    # What a pull writes into the desk's file (the sync worker does it on its own thread):
    # a new version of the prices, and table 1 moved across the room.
    desk.prices.set(manager, {"packages": [{"id": "tower", "name": "Champagne tower",
                                            "pence": 24000, "per_head": False}]})  # fmt: skip
    table = window.floor.plan.tables[0]
    desk.floor.save_table(manager, replace(table, x=table.x + 100))
    pulled = replace(window.monitor.status, pulled=1, venue_pulled=1)

    with qtbot.waitSignal(window.bridge.status_changed):
        threading.Thread(target=window.monitor.publish, args=(pulled,)).start()
    form.refresh_options()

    assert "Champagne tower — £240.00" not in before
    assert offered(form.package) == ["No package", "Champagne tower — £240.00"]
    assert window.floor.plan.tables[0].x == table.x + 100


def test_a_card_guarantee_and_a_shorter_link_are_saved_with_the_rest(
    qtbot, desk, manager, make_window
):
    window = make_window(manager)
    dialog = open_prices(window)
    dialog.collection.setCurrentIndex(
        dialog.collection.findText("a card guarantee", Qt.MatchFlag.MatchStartsWith)
    )
    dialog.link_minutes.setValue(60)
    dialog.grace_minutes.setValue(15)
    dialog.walk_in_exempt.setChecked(False)

    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    policy = desk.prices.in_force()
    assert (policy.collection.value, policy.link_minutes) == ("guarantee", 60)
    assert (policy.expiry_grace_minutes, policy.walk_in_exempt) == (15, False)
    assert [p.id for p in policy.packages] == ["prosecco", "birthday", "booth-bottles"]


def test_the_note_of_the_version_in_force_is_not_carried_into_the_next(desk, manager, make_window):
    desk.prices.set(manager, {"vip_exempt": False, "note": "Christmas prices, set by the owner"})
    window = make_window(manager)

    terms = open_prices(window).terms()

    assert desk.prices.in_force().note == "Christmas prices, set by the owner"
    assert "note" not in terms
    assert terms["vip_exempt"] is False
