"""``backroom audit verify``: what the desk's file can still prove about itself."""

from __future__ import annotations

import sys
from pathlib import Path


def verify(db_path: Path) -> int:
    from app.models.journal import verify_audit
    from app.models.uow import Store

    store = Store(db_path, create=False)
    with store.read() as reader:
        checked, broken = verify_audit(reader.session)
    if broken is not None:
        print(f"audit chain BROKEN at {broken}", file=sys.stderr)
        return 1
    print(f"audit chain intact: {checked} events verified")
    return 0
