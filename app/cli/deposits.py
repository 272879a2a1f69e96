"""``backroom deposits list --date D [--json]`` — the night's deposit ledger, totals to the penny;
``backroom deposits pay REF --amount 80.00 --method cash`` and ``deposits waive REF --reason …``
settle a deposit at the bar through the same use cases as the desk; ``deposits link REF``
asks the server for a payment link (sent with the next sync), shown in the list once pulled;
``deposits resend REF`` asks the server to send the guest that link again (a manager's call);
``deposits policy [--json]`` prints the venue's deposit policy this desk prices by, and
``deposits policy --set FILE`` sets its next version from a file of that shape (a manager's)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.args import night_date
from app.domain.deposit_ledger import PaymentMethod, parse_pounds
from app.domain.deposit_links import RequestStatus, link_words
from app.domain.deposits import format_pence
from app.domain.errors import DomainError
from app.domain.kernel.deposit_expiry import expiry_reason
from app.domain.references import format_reference
from app.domain.text import shown

if TYPE_CHECKING:
    from app.domain.permissions import Staff
    from app.domain.venue import Venue
    from app.services.deposit_ledger import NightLedger
    from app.services.desk import Desk
    from app.services.queries import BookingView


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    deposits = sub.add_parser(
        "deposits",
        help="the deposit ledger; take, waive, claim, refund or give back a deposit; the policy",
    )
    deposits.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=[
            "list",
            "pay",
            "waive",
            "link",
            "resend",
            "claim",
            "refund",
            "give-back",
            "policy",
        ],
    )
    deposits.add_argument(
        "reference",
        nargs="?",
        help="pay, waive, link, resend, claim, refund, give-back: its reference",
    )
    deposits.add_argument(
        "--date", type=night_date, help="list: service night, YYYY-MM-DD (default: tonight)"
    )
    deposits.add_argument("--json", action="store_true")
    deposits.add_argument(
        "--amount",
        help="pay, claim, refund, give-back: in pounds, e.g. 80.00 (claim, refund: default "
        "all; give-back: what is to give back, else all the venue holds)",
    )
    deposits.add_argument(
        "--yes",
        action="store_true",
        help="claim, refund, give-back: confirmed (without it: only asks)",
    )
    deposits.add_argument(
        "--method",
        choices=[m.value for m in PaymentMethod],
        default="cash",
        help="pay, give-back: how the money changed hands",
    )
    deposits.add_argument("--note", default="")
    deposits.add_argument(
        "--reason", default="", help="waive, refund, give-back: why (a manager's decision)"
    )
    deposits.add_argument("--staff", default=None, help="username acting (default: the manager)")
    deposits.add_argument(
        "--set",
        type=Path,
        dest="policy_file",
        help="policy: set its next version from this JSON file (as policy --json prints it)",
    )


def deposits_command(args: argparse.Namespace, db_path: Path) -> int:
    from app.cli.commands import acting, open_desk_for
    from app.services.deposits import TakeDeposit

    if args.policy_file is not None and args.action != "policy":
        raise DomainError(
            "--set FILE goes with deposits policy: backroom deposits policy --set FILE."
        )
    desk = open_desk_for(db_path, clock=args.clock)
    if args.action == "list":
        return _list(desk, args.date or desk.queries.tonight(), as_json=args.json)
    if args.action == "policy" and args.policy_file is not None:
        return _set_policy(desk, acting(desk, args.staff), args.policy_file)
    if args.action == "policy":
        return _policy(desk, as_json=args.json)
    if not args.reference:
        raise DomainError(f"Say which booking: backroom deposits {args.action} REF.")
    view = desk.queries.booking_by_reference(args.reference)
    staff = acting(desk, args.staff)
    if args.action == "link":
        print(shown(desk.links.request_link(staff, view.booking.id).message))
        print("It is sent with this desk's next sync (backroom sync).")
        return 0
    if args.action == "resend":
        print(shown(desk.links.resend_link(staff, view.booking.id).message))
        print("It is sent with this desk's next sync (backroom sync).")
        return 0
    if args.action in ("claim", "refund"):
        return _claim_or_refund(desk, staff, view.booking.id, args)
    if args.action == "give-back":
        return _give_back(desk, staff, view.booking.id, args)
    if args.action == "pay":
        if args.amount is None:
            raise DomainError("Say how much was paid: --amount 80.00.")
        taken = TakeDeposit(parse_pounds(args.amount), PaymentMethod(args.method), args.note)
        print(shown(desk.deposits.take(staff, view.booking.id, taken).message))
    else:
        print(shown(desk.deposits.waive(staff, view.booking.id, args.reason).message))
    return 0


def _claim_or_refund(desk: Desk, staff: Staff, booking_id: str, args: argparse.Namespace) -> int:
    """A manager's claim or refund: shows the amount and card, and goes ahead on --yes."""
    actions = desk.deposit_actions
    claim = args.action == "claim"
    offer = (
        actions.claim_offer(staff, booking_id) if claim else actions.refund_offer(staff, booking_id)
    )
    amount = offer.most_pence if args.amount is None else parse_pounds(args.amount)
    if not claim and not args.reason.strip():
        raise DomainError('Say why the deposit is refunded: --reason "…".')
    print(shown(offer.question(amount)))
    if not args.yes:
        print(f"Nothing was done. Run it again with --yes to {args.action} it.")
        return 1
    if claim:
        result = actions.claim(staff, booking_id, amount)
    else:
        result = actions.refund(staff, booking_id, amount, args.reason)
    print(shown(result.message))
    return 0


def _give_back(desk: Desk, staff: Staff, booking_id: str, args: argparse.Namespace) -> int:
    """Money a manager gave back outside Stripe: the sentence it records, then --yes."""
    offer = desk.giving_back.offer(staff, booking_id)
    amount = offer.suggested_pence if args.amount is None else parse_pounds(args.amount)
    if not args.reason.strip():
        raise DomainError('Say why the money was given back: --reason "…".')
    method = PaymentMethod(args.method)
    print(shown(offer.question(amount, method)))
    if not args.yes:
        print("Nothing was recorded. Run it again with --yes to record it.")
        return 1
    print(shown(desk.giving_back.give_back(staff, booking_id, amount, method, args.reason).message))
    print("It is sent with this desk's next sync (backroom sync).")
    return 0


def _set_policy(desk: Desk, staff: Staff, path: Path) -> int:
    """A manager's next version of the deposits and packages, from a file."""
    try:
        terms = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DomainError(f"Cannot read {path} as a JSON policy: {error}.") from None
    if not isinstance(terms, dict):
        raise DomainError(f"{path} is not a policy: it holds no JSON object.")
    print(shown(desk.prices.set(staff, terms).message))
    print("It is sent with this desk's next sync (backroom sync).")
    return 0


def _policy(desk: Desk, *, as_json: bool) -> int:
    """The policy this desk prices by (its own unsent version, if a manager set one)."""
    from app.domain.deposit_policy_data import deposit_policy_to_dict, policy_words

    policy = desk.queries.venue().deposits
    if as_json:
        print(json.dumps(deposit_policy_to_dict(policy), indent=2, ensure_ascii=False))
        return 0
    for line in policy_words(policy):
        print(shown(line))
    for line in desk.prices.history():
        print(shown(f"  {line}"))
    print(
        "A manager sets a new version on a desk (Deposits and packages…, or deposits policy "
        "--set FILE) or the server's operator on the server; every desk takes it when it "
        "syncs. Bookings keep the version that priced them."
    )
    return 0


def _list(desk: Desk, night: date, *, as_json: bool) -> int:
    from app.services.deposit_ledger import DepositLedger

    ledger = DepositLedger(desk.store).night(night)
    venue = desk.queries.venue().venue
    links = [v for v in desk.queries.bookings_on(night) if v.link is not None]
    if as_json:
        print(json.dumps(_as_json(ledger) | _links_json(links), indent=2, ensure_ascii=False))
        return 0
    print(f"Deposit ledger, night of {night:%a %d %b %Y}:")
    if not ledger.lines:
        print("Nothing recorded.")
    for line in ledger.lines:
        e = line.entry
        how = e.method.words if e.method else e.kind.value.replace("_", " ")
        state = f"  REFUSED: {e.refused}" if e.refused else "" if e.synced else "  (not yet sent)"
        print(
            shown(
                f"{venue.show_time(e.recorded_at)}  {line.reference}  {line.guest:<20}  "
                f"{e.kind.value.replace('_', ' '):<17} {format_pence(e.amount_pence):>10}  "
                f"{how:<13} {e.staff_name}{f' — {e.note}' if e.note else ''}{state}"
            )
        )
    t = ledger.totals
    for method, pence in t.by_method.items():
        print(f"  {method.replace('_', ' '):<16} {format_pence(pence):>10}")
    print(f"  {'taken':<16} {format_pence(t.taken_pence):>10}")
    print(f"  {'waived':<16} {format_pence(t.waived_pence):>10}")
    _print_links(venue, links)
    return 0


def _print_links(venue: Venue, views: list[BookingView]) -> None:
    from app.services.deposit_links import deadline

    if not views:
        return
    print("Payment links for the night's bookings:")
    for v in views:
        link = v.link
        assert link is not None
        until = deadline(venue, link.expires_at) if link.expires_at else ""
        words = link_words(link.amount_pence, link.status, link.expires_at, until)
        where = f"  {link.url}" if link.url and link.status is RequestStatus.OPEN else ""
        problem = f" — {link.problem}" if link.problem else ""
        if link.released_at is not None and link.expires_at is not None:
            problem += f" — cancelled by the server: {expiry_reason(venue, link.expires_at)}"
        print(
            shown(
                f"  {format_reference(v.booking.reference)}  {v.customer.name:<20}  "
                f"{words}{where}{problem}"
            )
        )


def _links_json(views: list[BookingView]) -> dict[str, object]:
    return {
        "links": [
            {
                "booking_id": v.booking.id,
                "reference": format_reference(v.booking.reference),
                "guest": v.customer.name,
                "amount_pence": v.link.amount_pence,
                "status": v.link.status.value,
                "url": v.link.url,
                "expires_at": v.link.expires_at.isoformat() if v.link.expires_at else None,
                "problem": v.link.problem,
                "released_at": v.link.released_at.isoformat() if v.link.released_at else None,
            }
            for v in views
            if v.link is not None
        ]
    }


def _as_json(ledger: NightLedger) -> dict[str, object]:
    t = ledger.totals
    return {
        "night": ledger.night.isoformat(),
        "entries": [
            {
                "id": line.entry.id,
                "booking_id": line.entry.booking_id,
                "reference": line.reference,
                "guest": line.guest,
                "kind": line.entry.kind.value,
                "amount_pence": line.entry.amount_pence,
                "currency": line.entry.currency,
                "method": line.entry.method.value if line.entry.method else None,
                "note": line.entry.note,
                "staff": line.entry.staff_name,
                "recorded_at": line.entry.recorded_at.isoformat(),
                "synced": line.entry.synced,
                "refused": line.entry.refused,
            }
            for line in ledger.lines
        ],
        "totals": {
            "taken_pence": t.taken_pence,
            "by_method_pence": t.by_method,
            "waived_pence": t.waived_pence,
            "entries": t.entries,
        },
    }
