"""``python -m tests.sim --seeds N [--start S] [--workers W]``: run many seeds, report violations.

Starts a throwaway PostgreSQL (or uses TEST_DATABASE_URL), builds the world's
template once, runs the seeds (in W worker processes), prints every failing
seed with what it broke and how to replay it, and exits non-zero on any
violation.
"""

from __future__ import annotations

import argparse
import sys
import time

from tests.sim.pool import run_seeds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.sim", description=__doc__)
    parser.add_argument("--seeds", type=int, default=100, help="how many seeds to run")
    parser.add_argument("--start", type=int, default=0, help="the first seed")
    parser.add_argument("--workers", type=int, default=2, help="processes running seeds")
    parser.add_argument("--verbose", action="store_true", help="print each failing seed's trace")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    seeds = range(args.start, args.start + args.seeds)
    results = run_seeds(seeds, workers=args.workers, progress=sys.stderr)
    failed = [r for r in results if r.violations]
    for r in failed:
        print(f"seed {r.seed} FAILED — replay: python -m tests.sim --seeds 1 --start {r.seed}")
        for v in r.violations:
            print(f"  {v}")
        if args.verbose:
            print("\n".join(f"    {line}" for line in r.trace))
    seconds = time.perf_counter() - began
    intents = sum(r.intents for r in results)
    conflicts = sum(r.conflicts for r in results)
    answered, by_server = sum(r.answered for r in results), sum(r.by_server for r in results)
    settled = sum(r.settled for r in results)
    online, late = sum(r.paid_online for r in results), sum(r.paid_late for r in results)
    refunded, outside = sum(r.refunded for r in results), sum(r.outside for r in results)
    sent_back = sum(r.sent_back for r in results)
    given_back = sum(r.given_back for r in results)
    print(
        f"{len(results)} seeds ran ({args.start}–{args.start + args.seeds - 1}), "
        f"{len(failed)} violated a property; {intents} intents, {conflicts} conflicts, "
        f"{answered} guests' texts ({by_server} changes the server made on them), "
        f"{settled} deposits settled at the bar, {online} paid through Stripe links "
        f"({late} after the booking could no longer take it), {refunded} refunds made "
        f"at Stripe and {outside} in its Dashboard, {sent_back} sent back by the bank, "
        f"{given_back} given back another way; "
        f"{seconds:.0f} s"
    )
    return 1 if failed or len(results) != args.seeds else 0


if __name__ == "__main__":
    sys.exit(main())
