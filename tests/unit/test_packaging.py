"""What a production install pulls, and what `--demo` says when the demo extra is missing."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = "posture-scanner"
DEMO_ONLY = frozenset({"moto", "flask", "werkzeug"})
"""What only the demo environments, the fake servers and the tests import."""
DEMO_EXTRAS = frozenset({"demo", "test", "dev"})

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        project: dict[str, object] = tomllib.load(f)["project"]
    return project


def _extras() -> dict[str, list[str]]:
    extras: dict[str, list[str]] = _project()["optional-dependencies"]  # type: ignore[assignment]
    return extras


def _parse(requirement: str) -> tuple[str, frozenset[str]]:
    match = _REQUIREMENT.match(requirement)
    assert match, requirement
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    extras = frozenset(e.strip() for e in (match.group(2) or "").split(",") if e.strip())
    return name, extras


def _resolve(extra: str) -> tuple[frozenset[str], frozenset[str]]:
    """(distributions, own extras) an extra pulls, following the project's own extras."""
    names: set[str] = set()
    seen: set[str] = set()
    pending = [extra]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for requirement in _extras()[current]:
            name, extras = _parse(requirement)
            if name == DISTRIBUTION:
                pending.extend(extras)
            else:
                names.add(name)
    return frozenset(names), frozenset(seen)


def test_the_distribution_is_posture_scanner_and_the_command_posture() -> None:
    project = _project()
    assert project["name"] == DISTRIBUTION
    assert project["scripts"] == {"posture": "scanner.cli:main"}


def test_the_base_install_pulls_no_demo_dependency() -> None:
    base = {_parse(r)[0] for r in _project()["dependencies"]}  # type: ignore[attr-defined]
    assert not base & DEMO_ONLY


@pytest.mark.parametrize("extra", sorted(set(_extras()) - DEMO_EXTRAS))
def test_no_production_extra_pulls_the_demo(extra: str) -> None:
    names, own = _resolve(extra)
    assert not names & DEMO_ONLY, f"[{extra}] pulls {sorted(names & DEMO_ONLY)}"
    assert not own & DEMO_EXTRAS, f"[{extra}] pulls {sorted(own & DEMO_EXTRAS)}"


def test_all_is_every_provider_extra_and_nothing_else() -> None:
    provider_extras = set(_extras()) - DEMO_EXTRAS - {"all"}
    assert [_parse(r) for r in _extras()["all"]] == [(DISTRIBUTION, frozenset(provider_extras))]


@pytest.mark.parametrize("extra", sorted(DEMO_EXTRAS))
def test_the_demo_and_the_tests_get_the_fake_servers(extra: str) -> None:
    names, _ = _resolve(extra)
    assert {"moto", "werkzeug"} <= names


def test_the_package_layout_has_no_top_level_fakes() -> None:
    include = _tool("setuptools")["packages"]["find"]["include"]
    assert sorted(include) == ["checks*", "fixtures*", "providers*", "scanner*"]
    assert not (ROOT / "fakes").exists()
    assert (ROOT / "providers" / "demo" / "fakes" / "__init__.py").is_file()
    assert _tool("mypy")["packages"] == ["scanner", "providers", "checks", "fixtures", "bench"]


def _tool(name: str) -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        section: dict[str, object] = tomllib.load(f)["tool"][name]
    return section


def _is_demo_code(path: Path) -> bool:
    relative = path.relative_to(ROOT)
    return (
        relative.parts[:2] == ("providers", "demo")
        or "demo" in relative.parts[2:-1]
        or relative.name.startswith("demo")
    )


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_only_demo_code_imports_the_demo_dependencies() -> None:
    forbidden = DEMO_ONLY | {"providers.demo"}
    offenders = []
    for package in ("scanner", "providers", "checks", "fixtures"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if _is_demo_code(path):
                continue
            for name in _imported(path):
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


_INSTALL_HINT = re.compile(r"pip install\s+(?:-\S+\s+)*['\"]?([^\s'\"`]+)")


def test_every_install_hint_names_this_distribution() -> None:
    sources = [*ROOT.glob("scanner/**/*.py"), *ROOT.glob("providers/**/*.py")]
    sources += [ROOT / "README.md", *ROOT.glob("docs/**/*.md"), ROOT / ".ci" / "run"]
    hints = [
        (path.relative_to(ROOT), target)
        for path in sources
        for target in _INSTALL_HINT.findall(path.read_text(encoding="utf-8"))
    ]
    assert hints
    wrong = [
        (str(path), target)
        for path, target in hints
        if not target.startswith((f"{DISTRIBUTION}[", ".[", "pip"))
    ]
    assert wrong == []


def _demo_without(module: str, provider: str) -> subprocess.CompletedProcess[str]:
    """`posture scan --demo --provider P` in a fresh interpreter where `module` is not installed."""
    code = textwrap.dedent(
        f"""
        import sys

        class NotInstalled:
            def find_spec(self, name, path=None, target=None):
                if name == {module!r} or name.startswith({module!r} + "."):
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
                return None

        sys.meta_path.insert(0, NotInstalled())
        from scanner.cli import main
        main(["scan", "--demo", "--provider", {provider!r}, "--no-history", "-q"])
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("module", "provider"),
    [("moto", "aws"), ("werkzeug", "gcp")],
    ids=["moto-for-aws", "fake-server-for-gcp"],
)
def test_demo_without_the_demo_extra_is_one_line_naming_it(module: str, provider: str) -> None:
    result = _demo_without(module, provider)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"pip install '{DISTRIBUTION}[demo]'" in lines[0]
    assert f"missing module {module}" in lines[0]


def test_demo_without_the_provider_sdk_names_the_provider_extra() -> None:
    result = _demo_without("boto3", "aws")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"pip install '{DISTRIBUTION}[aws]'" in lines[0]
    assert "missing module boto3" in lines[0]
