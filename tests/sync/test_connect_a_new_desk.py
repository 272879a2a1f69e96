"""A new desk connects to its venue's server and takes venue, plan, staff and night from it."""

from __future__ import annotations

import io
import sys

import pytest

from app.cli import main
from app.models.uow import Store
from app.services.compose import desk_on, open_first
from app.services.demo import demo_pins_hint
from app.services.desk import Desk
from app.views.first_run import FirstRunDialog
from server.settings import Settings
from tests.server.uvicorn_server import serving
from tests.sync.world import PASSWORD


@pytest.fixture
def server_url(sync_db, server_clock):
    with serving(Settings(database_url=sync_db), server_clock) as url:
        yield url


def test_a_new_desk_connected_from_the_command_line_has_the_servers_venue_and_a_pin(
    tmp_path, monkeypatch, capsys, server_url
):
    db = tmp_path / "desk.sqlite3"
    assert main(["--db", str(db), "db", "upgrade", "--create"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSWORD}\n2580\n"))

    signing_in = ["--user", "alex", "--password-stdin", "--pin-stdin"]
    code = main(["--db", str(db), "connect", "--server", server_url, *signing_in])
    said = capsys.readouterr().out

    desk = Desk(Store(db, create=False))
    assert code == 0 and "took The Backroom from it" in said
    assert len(desk.queries.venue().plan.tables) == 16
    assert {s.name for s in desk.auth.staff()} >= {"Alex Moore", "Sam Reid"}
    assert desk.auth.sign_in("alex", "2580").name == "Alex Moore"
    assert demo_pins_hint(desk.store) is None
    desk.store.close()


def test_a_wrong_password_leaves_a_new_desk_new_so_it_asks_again(tmp_path, server_url, clock):
    first = open_first(tmp_path / "desk.sqlite3", clock)

    with pytest.raises(Exception, match="password"):
        first.connect(tmp_path / "desk.sqlite3", server_url, "alex", "wrong", pin=("2580", "2580"))

    assert first.needed()
    first.store.close()


def test_the_first_run_window_connects_a_new_desk_and_alex_signs_in_with_the_pin_chosen(
    qtbot, tmp_path, server_url, clock
):
    db = tmp_path / "desk.sqlite3"
    first = open_first(db, clock)
    dialog = FirstRunDialog(first, db)
    qtbot.addWidget(dialog)
    dialog.connect_button.click()
    form = dialog.connect_form
    form.server.setText(server_url)
    form.username.setText("alex")
    form.password.setText(PASSWORD)
    form.pin.setText("2580")
    form.again.setText("2580")

    form.connect_button.click()
    # The server is asked on a worker thread: the dialog stays live and says it is busy.
    assert form.working and form.busy.isVisibleTo(form)
    qtbot.waitUntil(lambda: not form.working, timeout=20_000)
    desk = desk_on(first.store, clock)

    assert dialog.result() == dialog.DialogCode.Accepted, form.error.text()
    assert desk.queries.venue().venue.name == "The Backroom"
    assert len(desk.queries.venue().plan.tables) == 16
    assert desk.auth.sign_in("alex", "2580").name == "Alex Moore"
    assert desk.sync is not None
    desk.sync.stop()
    first.store.close()
