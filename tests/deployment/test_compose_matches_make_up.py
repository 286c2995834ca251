"""docker-compose.yaml runs what `make up` runs: the same services (named after the folders),
the same programs (uvicorn factory paths, `python -m shepherd serve`, `mlflow server`,
`prometheus`, `next start`), the same ports (DESIGN.md's, as container ports and as the default
host ports), and the environment each service reads. Parsed from the YAML, the Procfile,
scripts/up.sh, the Makefile and the Dockerfiles: no Docker needed (`make test-compose` runs it)."""

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

# Procfile (or up.sh) process -> compose service, named after the folder it comes from.
SERVICE_OF = {
    "load_data": "2_load_data",
    "api": "4_nn_estimator_api",
    "metrics": "5_metrics",
    "shepherd": "1_shepherd",
    "mlflow": "4_nn_estimator_mlflow",
    "prometheus": "4_nn_estimator_prometheus",
    "octopus": "6_octopus",
}
# Compose only: Postgres (embedded SQLite under `make up`) and the one-shot first start, which
# `make up` runs before honcho (scripts/up.sh: `python -m load_data bootstrap`, ...).
COMPOSE_ONLY = {"3_db", "bootstrap"}
DESIGN_PORTS = {
    "2_load_data": 8001,
    "4_nn_estimator_api": 8002,
    "5_metrics": 8003,
    "1_shepherd": 8004,
    "4_nn_estimator_mlflow": 5000,
    "4_nn_estimator_prometheus": 9090,
    "6_octopus": 3000,
}
# Names `make up` exports that only concern the local processes, not a service's settings.
LOCAL_ONLY = {"PATH", "STATE_DIR", "OCTOPUS_SKIPPED"}
# Read by libraries in the process rather than by the suite's settings classes.
PROCESS_LEVEL = {
    "MLFLOW_DISABLE_TELEMETRY",
    "DO_NOT_TRACK",
    "GIT_PYTHON_REFRESH",
    "OMP_NUM_THREADS",
    "NEXT_TELEMETRY_DISABLED",
    "MLFLOW_SERVER_ENABLE_JOB_EXECUTION",
    "MLFLOW_BACKEND_STORE_URI",  # mlflow server's --backend-store-uri
}


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yaml").read_text())


def services() -> dict[str, dict[str, Any]]:
    return compose()["services"]


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    commands = dict(line.split(": ", 1) for line in lines if line.strip())
    commands.pop("ready", None)  # scripts/announce.py: prints the URLs, no service
    # up.sh appends prometheus when the binary is installed.
    appended = re.search(r'echo "prometheus: (.*?)" \\\n\s*"(.*?)"', _up_sh())
    assert appended, "scripts/up.sh no longer appends prometheus to the Procfile"
    commands["prometheus"] = f"{appended.group(1)} {appended.group(2)}"
    return commands


def _up_sh() -> str:
    return (ROOT / "scripts/up.sh").read_text()


def dockerfile_of(service: str) -> Path:
    """The Dockerfile that builds `service`'s image (its own build, or the service that builds
    the tag it names)."""
    spec = services()[service]
    if "build" not in spec:
        builders = [
            s for s in services().values() if "build" in s and s.get("image") == spec["image"]
        ]
        assert builders, f"{service}: no service builds image {spec['image']}"
        spec = builders[0]
    build = spec["build"]
    return ROOT / build.get("context", ".") / build.get("dockerfile", "Dockerfile")


def docker_cmd(dockerfile: Path) -> list[str]:
    """The last CMD (exec form) of a Dockerfile."""
    import json

    commands = re.findall(r"^CMD (\[.*\])\s*$", dockerfile.read_text(), flags=re.M)
    assert commands, f"{dockerfile}: no exec-form CMD"
    return list(json.loads(commands[-1]))


def dockerfile_env(dockerfile: Path) -> set[str]:
    """Names an image's ENV instructions set (continued lines included)."""
    text = re.sub(r"\\\n\s*(#.*\n\s*)*", " ", dockerfile.read_text())
    names: set[str] = set()
    for line in re.findall(r"^ENV (.*)$", text, flags=re.M):
        names.update(re.findall(r"([A-Z_][A-Z0-9_]*)=", line))
    return names


def compose_command(service: str) -> list[str]:
    """What the container runs: the service's command, else its image's CMD."""
    spec = services()[service]
    if "command" in spec:
        command = spec["command"]
        words = shlex.split(command) if isinstance(command, str) else list(command)
        if service == "4_nn_estimator_prometheus":
            words = ["prometheus", *words]  # the image's entrypoint
        return words
    if "image" in spec and "build" not in spec and not spec["image"].startswith("stock-"):
        pytest.fail(f"{service}: a registry image without a command")
    return docker_cmd(dockerfile_of(service))


def program(words: list[str]) -> tuple[str, ...]:
    """The program and module a command runs, without hosts, ports and paths."""
    if "cd" in words and "&&" in words:
        words = words[words.index("&&") + 1 :]
    words = [w for w in words if w != "exec"]
    head = Path(words[0]).name
    if head == "uvicorn":
        factory = "--factory" in words
        app = next(w for w in words[1:] if ":" in w and not w.startswith("-"))
        return ("uvicorn", app, "factory" if factory else "app")
    if head in ("python", "python3") and words[1] == "-m":
        return ("python -m", words[2], words[3] if len(words) > 3 else "")
    if head == "mlflow":
        return ("mlflow", words[1])
    if head == "prometheus":
        return ("prometheus",)
    if head == "next" or (head == "node" and words[1:] == ["server.js"]):
        return ("next start",)
    return tuple(words)


def port_of(words: list[str]) -> int:
    for index, word in enumerate(words):
        if word == "--port":
            return int(words[index + 1])
        if word.startswith("--web.listen-address="):
            return int(word.rsplit(":", 1)[1])
    raise AssertionError(f"no port in {words}")


def published(service: str) -> list[tuple[str, str, int]]:
    """(host address, default host port, container port) for each published port."""
    found = []
    for entry in services()[service].get("ports", []):
        match = re.fullmatch(
            r"(?:(?P<addr>[^:]+(?::-[^}]*\})?):)?(?P<host>\$\{\w+:-(?P<default>\d+)\}|\d+)"
            r":(?P<container>\d+)",
            str(entry),
        )
        assert match, f"{service}: unparsed port {entry!r}"
        default = match.group("default") or match.group("host")
        found.append((match.group("addr") or "", default, int(match.group("container"))))
    return found


def test_the_same_services_named_after_the_folders() -> None:
    names = set(services())
    assert names - COMPOSE_ONLY == {SERVICE_OF[p] for p in procfile()}
    folders = {p.name for p in ROOT.iterdir() if p.is_dir() and re.match(r"\d_", p.name)}
    for name in names - {"bootstrap"}:
        assert any(name == f or name.startswith(f + "_") for f in folders), name
    # `make up` runs the bootstrap before honcho; compose's one-shot runs the same commands.
    bootstrap = " ".join(compose_command("bootstrap"))
    for step in ("python -m load_data bootstrap", "python -m nn_estimator bootstrap"):
        assert step in _up_sh() and step in bootstrap, step


@pytest.mark.parametrize("process", sorted(SERVICE_OF))
def test_the_same_program_and_port(process: str) -> None:
    service = SERVICE_OF[process]
    local = shlex.split(procfile()[process])
    container = compose_command(service)
    assert program(container) == program(local), (container, local)
    if service == "6_octopus":  # next start of a standalone build: PORT in the image
        assert 'output: "standalone"' in (ROOT / "6_octopus/next.config.ts").read_text()
        assert "PORT=3000" in (ROOT / "6_octopus/Dockerfile").read_text()
        assert port_of(local) == DESIGN_PORTS[service]
    else:
        assert port_of(container) == port_of(local) == DESIGN_PORTS[service]
    # Published on the same port by default, every host port overridable.
    ports = published(service)
    assert [(default, inner) for _addr, default, inner in ports] == [
        (str(DESIGN_PORTS[service]), DESIGN_PORTS[service])
    ]
    assert all(re.search(r"\$\{\w+_PORT:-\d+\}", str(p)) for p in services()[service]["ports"])


def test_postgres_on_design_ports() -> None:
    assert [(d, c) for _a, d, c in published("3_db")] == [("5434", 5432)]
    database_url = services()["2_load_data"]["environment"]["DATABASE_URL"]
    assert "@3_db:5432/" in database_url


def settings_fields(*classes: Any) -> set[str]:
    return {name.upper() for cls in classes for name in cls.model_fields}


def reads() -> dict[str, set[str]]:
    """The environment names each compose service's processes read (their settings classes)."""
    from estimator_api.config import Settings as ApiSettings
    from load_data.config import Settings as LoadDataSettings
    from metrics_service.config import Settings as MetricsSettings
    from nn_estimator.config import Settings as EstimatorSettings
    from shepherd.config import Settings as ShepherdSettings

    octopus = set()
    for source in (ROOT / "6_octopus/lib").glob("*.ts"):
        text = source.read_text()
        octopus |= set(re.findall(r'name: "([A-Z_]+)"', text))
        octopus |= set(re.findall(r"process\.env\.([A-Z_]+)", text))
    return {
        "2_load_data": settings_fields(LoadDataSettings),
        "bootstrap": settings_fields(LoadDataSettings, EstimatorSettings),
        "4_nn_estimator_api": settings_fields(ApiSettings),
        "5_metrics": settings_fields(MetricsSettings),
        # its cycles run `python -m nn_estimator train` with its environment
        "1_shepherd": settings_fields(ShepherdSettings, EstimatorSettings),
        "6_octopus": octopus,
    }


def make_up_exports() -> set[str]:
    names = set(re.findall(r"^export ([A-Z_][A-Z0-9_]*)=", _up_sh(), flags=re.M))
    for line in re.findall(r"^export (.*)$", _up_sh(), flags=re.M):
        names |= set(re.findall(r"\b([A-Z_][A-Z0-9_]*)=", line))
    makefile = (ROOT / "Makefile").read_text()
    names |= set(re.findall(r"^export ([A-Z_][A-Z0-9_]*) :?=", makefile, flags=re.M))
    return names - LOCAL_ONLY


def compose_env(service: str) -> set[str]:
    spec = services()[service]
    names = set(spec.get("environment") or {})
    if "build" in spec or spec.get("image", "").startswith("stock-"):
        names |= dockerfile_env(dockerfile_of(service))
    return names


def test_every_name_make_up_sets_for_a_service_compose_sets_too() -> None:
    exported = make_up_exports()
    assert {"DATABASE_URL", "MLFLOW_TRACKING_URI", "TICKERS", "LOAD_DATA_URL"} <= exported
    for service, names in reads().items():
        missing = (names & exported) - compose_env(service)
        assert not missing, f"{service} reads {sorted(missing)}: `make up` sets, compose not"
    # and the process-level ones (telemetry off, one OpenMP thread) for every Python service
    for service in ("2_load_data", "bootstrap", "4_nn_estimator_api", "5_metrics", "1_shepherd"):
        wanted = exported & PROCESS_LEVEL - {"NEXT_TELEMETRY_DISABLED"}
        if service in ("2_load_data", "5_metrics"):  # no torch, no MLflow there
            wanted -= {"OMP_NUM_THREADS", "MLFLOW_DISABLE_TELEMETRY", "DO_NOT_TRACK"}
        assert wanted <= compose_env(service), (service, wanted - compose_env(service))
    assert "NEXT_TELEMETRY_DISABLED" in compose_env("6_octopus")


def test_compose_sets_only_names_something_reads() -> None:
    known = set().union(*reads().values()) | PROCESS_LEVEL | {"PRICE_SOURCE"}
    for service in (*reads(), "4_nn_estimator_mlflow"):
        unknown = set(services()[service].get("environment") or {}) - known
        assert not unknown, f"{service} sets {sorted(unknown)}, which nothing reads"


def test_service_urls_name_the_compose_services() -> None:
    env = services()["1_shepherd"]["environment"]
    octopus = services()["6_octopus"]["environment"]
    expected = {
        "LOAD_DATA_URL": "http://2_load_data:8001",
        "ESTIMATOR_URL": "http://4_nn_estimator_api:8002",
        "METRICS_URL": "http://5_metrics:8003",
        "MLFLOW_TRACKING_URI": "http://4_nn_estimator_mlflow:5000",
        "PROMETHEUS_URL": "http://4_nn_estimator_prometheus:9090",
    }
    for name, url in expected.items():
        assert env[name] == url
        if name in octopus:
            assert octopus[name] == url
    assert octopus["SHEPHERD_URL"] == "http://1_shepherd:8004"
    scrape = yaml.safe_load((ROOT / "4_nn_estimator/prometheus/prometheus.compose.yml").read_text())
    targets = [
        t for job in scrape["scrape_configs"] for c in job["static_configs"] for t in c["targets"]
    ]
    assert "4_nn_estimator_api:8002" in targets


def test_prometheus_gets_its_config_and_rule_files_mounted() -> None:
    folder = "4_nn_estimator/prometheus"
    config = yaml.safe_load((ROOT / folder / "prometheus.compose.yml").read_text())
    mounts = [str(v) for v in services()["4_nn_estimator_prometheus"]["volumes"]]
    assert f"./{folder}/prometheus.compose.yml:/etc/prometheus/prometheus.yml:ro" in mounts
    for rules in config.get("rule_files", []):
        assert f"./{folder}/{rules}:/etc/prometheus/{rules}:ro" in mounts, rules


def test_every_service_has_a_memory_limit() -> None:
    for name, spec in services().items():
        # mem_limit: applied by compose v1 (1.29) and v2 alike; deploy.resources only by v2
        assert re.fullmatch(r"\d+[mg]", str(spec.get("mem_limit", ""))), name


def test_mlflow_keeps_its_store_in_postgres_and_serves_the_artifacts() -> None:
    command = " ".join(compose_command("4_nn_estimator_mlflow"))
    store = services()["4_nn_estimator_mlflow"]["environment"]["MLFLOW_BACKEND_STORE_URI"]
    assert store.startswith("postgresql+psycopg://") and store.endswith("@3_db:5432/mlflow")
    assert "--backend-store-uri" not in command  # the password stays off the command line
    assert "--serve-artifacts" in command and "--artifacts-destination /mlflow/" in command
    assert "--default-artifact-root mlflow-artifacts:/" in command
    db_volumes = " ".join(services()["3_db"]["volumes"])
    assert "3_db/mlflow-database.sql:/docker-entrypoint-initdb.d/" in db_volumes
    assert "CREATE DATABASE mlflow" in (ROOT / "3_db/mlflow-database.sql").read_text()
    named = set(compose()["volumes"])
    for service, volume in (
        ("3_db", "db-data"),
        ("4_nn_estimator_mlflow", "mlflow-data"),
        ("4_nn_estimator_prometheus", "prometheus-data"),
    ):
        assert volume in named
        assert any(str(v).startswith(f"{volume}:") for v in services()[service]["volumes"])
