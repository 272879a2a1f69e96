import sqlite3

from app.services.demo import demo_pins_hint
from app.views.sign_in import SignInDialog


def test_a_wrong_pin_is_refused_with_a_message_and_the_pin_cleared(qtbot, desk):
    dialog = SignInDialog(desk.auth, "The Backroom")
    qtbot.addWidget(dialog)
    dialog.username.setText("sam")
    dialog.pin.setText("9999")

    signed_in = dialog.try_sign_in()

    assert not signed_in
    assert dialog.error.text() == "That name and PIN do not match a member of staff."
    assert dialog.pin.text() == ""


def test_staff_sign_in_on_the_desk_with_their_pin(qtbot, desk):
    dialog = SignInDialog(desk.auth, "The Backroom")
    qtbot.addWidget(dialog)
    dialog.username.setText("Alex ")
    dialog.pin.setText("2222")

    assert dialog.try_sign_in()

    assert (dialog.staff.name, dialog.staff.role.value) == ("Alex Moore", "manager")


def test_the_window_names_who_is_signed_in_and_hides_what_their_role_may_not_do(
    qtbot, reception, make_window
):
    window = make_window(reception)

    assert window.top.who.text() == "<b>Sam Reid</b> · reception"
    assert window.act_new.isVisible()
    assert not window.act_edit.isVisible()
    assert all(not a.isVisible() for a in window.floor.edit_actions)


def test_demo_pins_are_shown_only_on_a_demo_desk_never_on_a_connected_one(qtbot, desk, db_path):
    demo = SignInDialog(desk.auth, "The Backroom", demo_hint=demo_pins_hint(desk.store))
    qtbot.addWidget(demo)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE device SET server_url = 'https://backroom.example'")
    connected = SignInDialog(desk.auth, "The Backroom", demo_hint=demo_pins_hint(desk.store))
    qtbot.addWidget(connected)

    assert "Demo staff: sam / 1111 (reception), alex / 2222 (manager)" in demo.note.text()
    assert "Demo staff" not in connected.note.text() and "1111" not in connected.note.text()
    assert "works with the internet down" in connected.note.text()


def test_staff_change_their_own_pin_from_the_desk_menu(qtbot, desk, manager, make_window):
    window = make_window(manager)
    window.change_pin()
    dialog = window.pin_dialog
    dialog.current.setText("2222")
    dialog.new.setText("1234")
    dialog.again.setText("4321")

    refused = dialog.try_change()
    refusal = dialog.error.text()
    dialog.current.setText("2222")
    dialog.new.setText("482913")
    dialog.again.setText("482913")
    changed = dialog.try_change()

    assert not refused and "The two new PINs differ" in refusal
    assert changed and "Alex Moore's PIN was changed" in window.notice.text()
    assert desk.auth.sign_in("alex", "482913").name == "Alex Moore"


def test_five_wrong_pins_for_a_name_make_it_wait_a_minute_even_with_the_right_pin(
    qtbot, desk, clock
):
    dialog = SignInDialog(desk.auth, "The Backroom")
    qtbot.addWidget(dialog)

    def attempt(username, pin):
        dialog.error.clear()
        dialog.username.setText(username)
        dialog.pin.setText(pin)
        return dialog.try_sign_in(), dialog.error.text()

    wrong = {attempt("alex", pin) for pin in ("1111", "1234", "0000", "4321", "9999")}
    waiting = attempt("alex", "2222")  # Alex's own PIN, but the name waits
    clock.advance(seconds=45)
    still = attempt("Alex", "2222")
    other = attempt("sam", "1111")  # another name is not held up
    clock.advance(seconds=16)
    after = attempt("alex", "2222")

    assert wrong == {(False, "That name and PIN do not match a member of staff.")}
    assert waiting == (False, "5 wrong PINs in a row for that name: try again in 60 seconds.")
    assert still == (False, "5 wrong PINs in a row for that name: try again in 15 seconds.")
    assert other == (True, "")
    assert after == (True, "")
