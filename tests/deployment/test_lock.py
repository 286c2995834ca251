"""requirements.lock pins every package the suite installs (`make setup` and the images install
with `-c requirements.lock`): it must name every dependency pyproject.toml declares, pin each to
one exact version, and hold no CUDA build of torch. `make lock` regenerates it."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def declared() -> list[Requirement]:
    project = pyproject()["project"]
    lines = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        lines += extra
    own = canonical(project["name"])
    return [r for r in map(Requirement, lines) if canonical(r.name) != own]


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PIN.match(line.strip())
        assert match, f"not an exact pin: {line!r}"
        name, version = canonical(match[1]), match[2]
        assert name not in found, f"{name} pinned twice"
        found[name] = version
    return found


def test_every_line_is_one_exact_pin() -> None:
    assert len(pins()) > 50


def test_the_lock_covers_every_declared_dependency_at_an_allowed_version() -> None:
    locked = pins()
    for requirement in declared():
        name = canonical(requirement.name)
        assert name in locked, f"{name} is in pyproject.toml but not locked: run `make lock`"
        version = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} does not satisfy {requirement}: run `make lock`"
        )


def test_torch_is_the_pinned_cpu_build_and_nothing_cuda_comes_with_it() -> None:
    locked = pins()
    assert locked["torch"] == "2.13.0"  # the CPU wheel (2.13.0+cpu) matches it too
    cuda = [n for n in locked if n.startswith("nvidia-") or n == "triton"]
    assert not cuda, f"CUDA packages in the lock: {cuda}"


def test_the_project_itself_and_installer_tools_are_not_pinned() -> None:
    locked = pins()
    assert canonical(pyproject()["project"]["name"]) not in locked
    assert "pip" not in locked and "setuptools" not in locked
