"""The FastAPI application: routers, limits and error shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg.errors import DeadlockDetected, SerializationFailure
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool

from server.auth.router import router as auth_router
from server.body_limit import BodyLimit
from server.clock import Clock, SystemClock
from server.conflicts.router import router as conflicts_router
from server.db import make_engine, make_sessionmaker
from server.events.notifier import Notifier
from server.events.router import router as events_router
from server.guests.router import router as guests_router
from server.holds.router import router as holds_router
from server.messages.reply_judge import judge_reply
from server.messages.router import router as messages_router
from server.messages.running import MessageWorker, sender_for
from server.payments.links import payments_from
from server.payments.router import router as payments_router
from server.payments.short import router as short_router
from server.payments.timer import ReconcileTimer
from server.settings import Settings, settings_from_env
from server.sync.placement import PlanMoved
from server.sync.router import router as sync_router
from server.venues.router import router as venues_router


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or settings_from_env()
    engine = make_engine(settings.database_url, settings.pool_size)
    notifier = Notifier(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await notifier.start()
        timer = reconcile_timer(app)
        if timer is not None:
            timer.start()
        worker = message_worker(app)
        if worker is not None:
            worker.start()
        yield
        if worker is not None:
            await run_in_threadpool(worker.stop)
        if timer is not None:
            await timer.stop()
        await notifier.stop()
        engine.dispose()

    app = FastAPI(
        title="Backroom central server",
        version="1.0",
        description="Sync, auth and holds for Backroom desks. See docs/server.md.",
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, max_body_bytes=settings.max_body_bytes)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.clock = clock or SystemClock()
    app.state.notifier = notifier
    # None when no Stripe key is configured: payment links are then refused, clearly.
    app.state.payments = payments_from(settings, app.state.clock)

    @app.get("/health", tags=["health"])
    async def health() -> dict[str, str]:
        """Liveness, answered without a token and without touching the database; and
        whether this instance hears the other instances' writes (its LISTEN connection:
        "reconnecting" means desks on it fall back to polling meanwhile)."""
        listener = "listening" if notifier.listening.is_set() else "reconnecting"
        return {"status": "ok", "listener": listener}

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Where and why only: echoing the input back could not always be JSON (NaN, a lone
        # surrogate), and a refusal must never become a 500.
        detail = [
            {
                "loc": list(e.get("loc", ())),
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(DataError)
    async def unstorable(request: Request, exc: DataError) -> JSONResponse:
        # Validation should have caught it; if a value still cannot be stored,
        # it is the request's fault, and nothing was committed.
        return JSONResponse({"detail": f"A value cannot be stored: {exc.orig}"}, status_code=400)

    @app.exception_handler(PoolTimeout)
    async def overloaded(request: Request, exc: PoolTimeout) -> JSONResponse:
        return JSONResponse({"detail": "The server is busy; try again shortly."}, status_code=503)

    @app.exception_handler(OperationalError)
    async def database_trouble(request: Request, exc: OperationalError) -> JSONResponse:
        # Reached only after the bounded retries (server/sync/push.py) or when
        # the database is down; nothing was committed, so trying again is safe.
        if isinstance(exc.orig, DeadlockDetected | SerializationFailure):
            detail = "The server is busy with other desks' changes; try again shortly."
        else:
            detail = "The database is not answering right now; try again shortly."
        return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "1"})

    @app.exception_handler(PlanMoved)
    async def plan_kept_moving(request: Request, exc: PlanMoved) -> JSONResponse:
        # Reached only after the bounded retries: the venue's floor plan or prices changed
        # under the intent every time it was judged. Nothing was committed.
        detail = "The venue's floor plan or prices changed as this was judged; try again shortly."
        return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "1"})

    app.state.reconcile_timer = None
    app.state.message_worker = None
    # A guest's 1 / 9 acted on in the inbound webhook's transaction.
    app.state.reply_judge = lambda session, venue_id, reply: judge_reply(
        session, venue_id, reply, app.state.clock.now()
    )
    routers = (auth_router, sync_router, events_router, holds_router, conflicts_router)
    more = (venues_router, payments_router, messages_router, short_router, guests_router)
    for router in (*routers, *more):
        app.include_router(router)
    return app


def reconcile_timer(app: FastAPI) -> ReconcileTimer | None:
    """The payments reconciliation on a timer, where payments are set up and it is wanted."""
    every = app.state.settings.payments_reconcile_seconds
    if app.state.payments is None or every <= 0:
        return None
    timer = ReconcileTimer(app.state.engine, app.state.sessions, app.state.payments, every)
    app.state.reconcile_timer = timer
    return timer


def message_worker(app: FastAPI) -> MessageWorker | None:
    """The outbox's sender in a thread, where ``BACKROOM_MESSAGES_WORKER=on``."""
    settings = app.state.settings
    if settings.messages_worker != "on":
        return None
    sender = sender_for(settings, app.state.sessions, app.state.clock)
    worker = MessageWorker(sender)
    app.state.message_worker = worker
    return worker
