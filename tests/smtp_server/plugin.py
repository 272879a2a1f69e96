"""Fixtures: ``smtp_server`` (plain, for most tests), ``smtp_tls`` (STARTTLS with AUTH and
implicit TLS, with a throwaway certificate the client is told to trust)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.smtp_server.server import SmtpServer, self_signed, start_smtp

__all__ = ["_smtp_cert", "smtp_server", "smtp_tls"]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = start_smtp("plain")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def _smtp_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("the TLS tests make their certificate with the openssl command")
    return self_signed(tmp_path_factory.mktemp("smtp-cert"))


@pytest.fixture(params=["starttls", "ssl"])
def smtp_tls(request: pytest.FixtureRequest, _smtp_cert: tuple[Path, Path]) -> Iterator[SmtpServer]:
    server = start_smtp(request.param, cert=_smtp_cert, auth=True)
    try:
        yield server
    finally:
        server.stop()
