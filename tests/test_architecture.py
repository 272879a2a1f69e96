import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_the_layer_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")

    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_the_desk_is_layered_views_over_services_over_sync_over_models_over_protocol_over_domain():
    [layers] = [c for c in contracts().values() if c["type"] == "layers"]

    assert layers["containers"] == ["app"]
    assert layers["layers"] == ["views", "services", "sync", "models", "protocol", "domain"]
    assert layers["exhaustive"] is True


def test_sqlalchemy_is_forbidden_to_the_use_cases_and_the_views_and_the_store_to_the_server():
    forbidden = [c for c in contracts().values() if c["type"] == "forbidden"]

    def kept_from(source: str) -> set[str]:
        return {
            m for c in forbidden if source in c["source_modules"] for m in c["forbidden_modules"]
        }

    assert "sqlalchemy" in kept_from("app.services") & kept_from("app.views")
    assert {"app.models", "app.services", "app.sync", "app.views", "PySide6"} <= kept_from("server")
    assert {"PySide6", "sqlalchemy", "httpx"} <= kept_from("app.domain")
