"""``backroom audit verify``: what the desk's file can still prove about itself."""

from __future__ import annotations

import sys
from pathlib import Path

from app.domain.text import shown


def verify(db_path: Path) -> int:
    from app.models.audit_check import check_audit
    from app.models.uow import Store

    store = Store(db_path, create=False)
    with store.read() as reader:
        report = check_audit(reader.session)
    store.close()
    for problem in report.problems:
        print(shown(problem), file=sys.stderr)
    if not report.intact:
        return 1
    print(f"audit chain intact: {report.checked} events verified; file integrity ok")
    return 0
