"""``python -m tests.sim.recheck DIR``: check again the evidence seeds kept (BACKROOM_SIM_KEEP).

For working on the checker and its model: a seed's run is kept once and judged
again in milliseconds, with the checker as it is now.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from tests.sim import checker


def main(argv: list[str]) -> int:
    paths = sorted(Path(argv[0]).glob("seed-*.pickle"), key=lambda p: int(p.stem[5:]))
    failed = 0
    for path in paths:
        world, evidence = pickle.loads(path.read_bytes())
        problems = checker.verify(evidence, world)
        if problems:
            failed += 1
            print(f"{path.stem}:")
            print("\n".join(f"  {p}" for p in problems))
    print(f"{len(paths)} seeds checked again, {failed} violated a property")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
