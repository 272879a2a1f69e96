"""Running many seeds: a PostgreSQL for the run, the template once, seeds in worker processes."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from typing import IO

from sqlalchemy.engine import make_url

from tests.postgres import PgServer, throwaway_cluster
from tests.sim.run import SeedResult, run_seed
from tests.sim.world import Database, Template, template

_WORKER: tuple[Template, Database] | None = None


@contextlib.contextmanager
def postgres() -> Iterator[PgServer]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield PgServer(make_url(url).set(drivername="postgresql+psycopg").render_as_string(False))
        return
    with throwaway_cluster() as server:
        yield server


def _init(tpl: Template) -> None:
    global _WORKER
    tpl.install_tokens()
    _WORKER = (tpl, Database(tpl))


def _one(seed: int) -> SeedResult:
    assert _WORKER is not None
    try:
        return run_seed(*_WORKER, seed)
    except Exception as error:  # a crash is a violation too, with its seed
        import traceback

        return SeedResult(seed, [f"crashed: {error!r}", traceback.format_exc()[-2000:]])


def run_seeds(
    seeds: Iterable[int],
    *,
    workers: int = 2,
    progress: IO[str] | None = None,
    pg: PgServer | None = None,
) -> list[SeedResult]:
    with contextlib.ExitStack() as stack:
        server = pg or stack.enter_context(postgres())
        tpl = stack.enter_context(template(server))
        seeds = list(seeds)
        results: list[SeedResult] = []
        if workers <= 1:
            _init(tpl)
            assert _WORKER is not None
            stack.callback(_WORKER[1].drop)
            iterator: Iterable[SeedResult] = map(_one, seeds)
        else:
            context = multiprocessing.get_context("spawn")
            pool = stack.enter_context(context.Pool(workers, _init, (tpl,)))
            iterator = pool.imap(_one, seeds)
        for i, result in enumerate(iterator, 1):
            results.append(result)
            if progress is not None and (i % 50 == 0 or result.violations):
                bad = sum(1 for r in results if r.violations)
                print(f"  {i}/{len(seeds)} seeds, {bad} failing", file=progress, flush=True)
        return results
