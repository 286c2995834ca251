"""What the suite exposes: `make up` binds every process to 127.0.0.1 (state-changing endpoints
are open there when ADMIN_TOKEN is unset), and compose refuses to start without a token and a
database password and publishes MLflow (which has no authentication) and Postgres on
127.0.0.1 only."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def procfile_commands() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_make_up_binds_every_service_to_loopback() -> None:
    commands = procfile_commands()
    servers = {name: command for name, command in commands.items() if name != "ready"}
    assert set(servers) == {"mlflow", "load_data", "api", "metrics", "shepherd", "octopus"}
    for name, command in servers.items():
        flag = "--hostname" if name == "octopus" else "--host"  # next start's spelling
        assert f"{flag} 127.0.0.1" in command, name
    up = (ROOT / "scripts/up.sh").read_text()
    assert "--web.listen-address=127.0.0.1:9090" in up  # prometheus


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yaml").read_text())


def test_compose_requires_a_token_and_a_database_password() -> None:
    text = (ROOT / "docker-compose.yaml").read_text()
    assert re.search(r"ADMIN_TOKEN: \$\{ADMIN_TOKEN:\?", text)
    for reference in re.findall(r"\$\{POSTGRES_PASSWORD[^}]*\}", text):
        assert reference.startswith("${POSTGRES_PASSWORD:?"), reference  # never a default


def test_compose_publishes_mlflow_and_postgres_on_loopback_only() -> None:
    services = compose()["services"]
    for name in ("4_nn_estimator_mlflow", "3_db"):
        for port in services[name].get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)
