"""deploy/k8s holds what `kubectl apply -k deploy/k8s` applies: every manifest listed, the api
replicated behind readiness on /ready, the shepherd's cycle a CronJob that never overlaps, the
images compose builds, limits and a non-root, read-only container everywhere.
`make k8s` also renders it (kubectl kustomize) and validates it against the Kubernetes schemas."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
WORKLOADS = {"Deployment", "Job", "CronJob"}


def kustomization() -> dict[str, Any]:
    return yaml.safe_load((K8S / "kustomization.yaml").read_text())


def documents() -> list[dict[str, Any]]:
    docs = []
    for name in kustomization()["resources"]:
        docs += [d for d in yaml.safe_load_all((K8S / name).read_text()) if d]
    return docs


def find(kind: str, name: str) -> dict[str, Any]:
    matches = [d for d in documents() if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} found"
    return matches[0]


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def containers(pod: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from pod.get("initContainers", [])
    yield from pod["containers"]


def workloads() -> list[dict[str, Any]]:
    return [d for d in documents() if d["kind"] in WORKLOADS]


def compose_images() -> set[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
    return {s["image"] for s in compose["services"].values() if "image" in s}


def test_kustomization_lists_every_manifest_and_nothing_else() -> None:
    listed = kustomization()["resources"]
    on_disk = sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
    assert sorted(listed) == on_disk
    assert len(set(listed)) == len(listed)


def test_every_document_is_a_named_kubernetes_object() -> None:
    for doc in documents():
        assert {"apiVersion", "kind", "metadata"} <= doc.keys(), doc
        assert doc["metadata"]["name"]


def test_the_api_is_replicated_behind_readiness_on_ready() -> None:
    api = find("Deployment", "api")
    assert api["spec"]["replicas"] > 1
    (container,) = pod_spec(api)["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    # Liveness must not depend on the database (/health does): an outage would restart them all.
    assert "httpGet" not in container["livenessProbe"]
    assert container["image"] == "stock-forecast-nn-estimator"
    assert "estimator_api.main:create_app" in container["command"]
    annotations = api["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/port"] == "8002"
    assert annotations["prometheus.io/path"] == "/metrics"


def test_every_deployment_behind_a_service_selects_its_pods() -> None:
    services = [d for d in documents() if d["kind"] == "Service"]
    deployments = {d["metadata"]["name"]: d for d in documents() if d["kind"] == "Deployment"}
    assert {s["metadata"]["name"] for s in services} == set(deployments)
    for service in services:
        pod = deployments[service["metadata"]["name"]]["spec"]["template"]
        labels = pod["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= labels.items()
        ports = {p["name"] for c in pod["spec"]["containers"] for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports, service["metadata"]["name"]


def test_the_shepherd_cycle_is_a_cronjob_after_the_close_that_never_overlaps() -> None:
    cron = find("CronJob", "shepherd-run-once")
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    assert cron["spec"]["timeZone"] == "America/New_York"
    _, hour, _, _, weekdays = cron["spec"]["schedule"].split()
    assert int(hour) >= 16 and weekdays == "1-5"  # after the 16:00 close, weekdays
    (container,) = pod_spec(cron)["containers"]
    assert container["command"][-3:] == ["-m", "shepherd", "run-once"]
    # Only the CronJob schedules cycles: the shepherd Deployment's scheduler is off.
    assert find("ConfigMap", "suite-config")["data"]["SHEPHERD_SCHEDULE"] == "off"


def test_training_is_a_job() -> None:
    job = find("Job", "train-msft")
    (container,) = pod_spec(job)["containers"]
    assert container["command"] == ["python", "-m", "nn_estimator", "train", "--ticker", "MSFT"]
    assert pod_spec(job)["restartPolicy"] == "Never"


def test_images_are_the_ones_compose_builds() -> None:
    built = compose_images()
    used = {c["image"] for w in workloads() for c in containers(pod_spec(w))}
    assert used <= built, used - built
    tagged = {i["name"] for i in kustomization()["images"]}
    assert used == tagged  # each has its place to set a registry and a tag


@pytest.mark.parametrize("workload", workloads(), ids=lambda w: w["metadata"]["name"])
def test_every_container_has_limits_and_runs_as_non_root_read_only(workload: dict) -> None:
    pod = pod_spec(workload)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 1000
    assert pod["enableServiceLinks"] is False  # no API_PORT=tcp://... beside the settings
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for container in containers(pod):
        resources = container["resources"]
        assert {"cpu", "memory"} <= resources["requests"].keys(), container["name"]
        assert {"cpu", "memory"} <= resources["limits"].keys(), container["name"]
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True
        assert security["capabilities"]["drop"] == ["ALL"]
        tmp = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
        assert tmp and "emptyDir" in volumes[tmp[0]["name"]], container["name"]


def test_configuration_covers_what_compose_gives_the_services() -> None:
    """Postgres and MLflow are external: named in the ConfigMap; secrets only in the Secret."""
    compose = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
    wanted = set(compose["x-python-env"])
    config = find("ConfigMap", "suite-config")["data"]
    secret = find("Secret", "suite-secrets")["stringData"]
    assert wanted - {"DATABASE_URL"} <= config.keys() | secret.keys()
    assert set(secret) == {"ADMIN_TOKEN", "POSTGRES_PASSWORD"}
    assert all("CHANGE-ME" in value for value in secret.values())  # an obvious placeholder
    assert "PASSWORD" not in " ".join(config)
    for workload in workloads():
        for container in containers(pod_spec(workload)):
            if container["image"] == "stock-forecast-octopus":
                continue  # the dashboard needs no database
            env = {e["name"]: e for e in container.get("env", [])}
            url = env["DATABASE_URL"]["value"]
            assert url.startswith("postgresql+psycopg://")
            assert "$(POSTGRES_PASSWORD)@$(POSTGRES_HOST)" in url
            refs = {next(iter(r.values()))["name"] for r in container["envFrom"]}
            assert refs == {"suite-config", "suite-secrets"}
