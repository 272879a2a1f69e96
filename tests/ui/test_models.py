from app.services.demo import generate_night
from app.views.models import ID_ROLE, BookingsModel, WaitlistModel
from tests.ui.conftest import waitlist


def test_the_bookings_model_passes_qt_model_tester_on_a_demo_night(qtmodeltester, desk, clock):
    generate_night(desk.store, clock, desk.queries.tonight())
    model = BookingsModel(desk.queries.venue().venue)

    model.set_rows(desk.queries.bookings_on(desk.queries.tonight()))
    qtmodeltester.check(model, force_py=True)

    assert model.rowCount() > 20


def test_the_waitlist_model_passes_qt_model_tester_and_explains_the_score(
    qtmodeltester, desk, manager, clock
):
    waitlist(desk, manager, "Waiting Wendy", 4, 21)
    clock.advance(minutes=35)
    model = WaitlistModel(desk.queries.venue().venue, clock)

    model.set_rows(desk.queries.waitlist(desk.queries.tonight()))
    qtmodeltester.check(model, force_py=True)

    tip = model.data(model.index(0, 0), 3)  # ToolTipRole
    assert tip == "Priority 35: waiting 35"


def test_a_refresh_with_the_same_rows_updates_cells_without_a_reset(qtbot, desk, manager, clock):
    waitlist(desk, manager, "Waiting Wendy", 4, 21)
    model = WaitlistModel(desk.queries.venue().venue, clock)
    model.set_rows(desk.queries.waitlist(desk.queries.tonight()))
    clock.advance(minutes=10)

    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.set_rows(desk.queries.waitlist(desk.queries.tonight()))

    assert model.data(model.index(0, 0)) == "10"


def test_a_dragged_row_carries_its_booking(desk, manager):
    party = waitlist(desk, manager, "Waiting Wendy", 4, 21)
    model = WaitlistModel(desk.queries.venue().venue, desk.clock)
    model.set_rows(desk.queries.waitlist(desk.queries.tonight()))

    data = model.mimeData([model.index(0, 1)])

    from app.views import mime

    assert mime.read(data) == mime.Dragged(mime.BOOKING, booking_id=party.id, party_size=4)
    assert model.data(model.index(0, 1), ID_ROLE) == party.id
