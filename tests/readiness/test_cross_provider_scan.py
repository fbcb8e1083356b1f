"""End to end: an identity provider, AWS (moto) and the evidence directory in one scan."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from checks.registry import all_checks, select_checks
from scanner import scan as scan_module
from scanner.cli import main
from scanner.config import PostureConfig
from scanner.config.evidence import EvidenceConfig
from scanner.inventory.run import with_cross_provider
from scanner.models.enums import Status
from scanner.models.findings import FindingsDocument
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.providers import CollectRequest, ProviderAdapter, load_adapter
from scanner.scan import ScanPlan, run_scan
from tests.readiness.helpers import NOW, FakeDirectoryInventory, WriteFiles, person

pytest.importorskip("moto")

DAY = NOW.date()


def days_ago(n: int) -> str:
    return (DAY - timedelta(days=n)).isoformat()


def evidence_files() -> dict[str, str]:
    return {
        "evidence.yaml": "organisation: Acme\nsystems_in_scope: [aws]\n",
        "policies/information-security.md": "---\ntitle: ISP\nowner: ciso\napproved_by: ceo\n"
        f"approved_on: {days_ago(400)}\n---\n",
        "risk-register.csv": "risk,likelihood,impact,owner,controls,last_reviewed\n"
        f"Phishing,high,high,ciso,MFA,{days_ago(200)}\n",
        "training.csv": f"email,course,completed_on\nalice@acme.example,SAT,{days_ago(30)}\n",
        "vendors.yaml": "vendors:\n  - name: Datadog\n    criticality: critical\n"
        f"    data_access: logs\n    last_assessed: {days_ago(500)}\n",
        "hr/leavers.csv": f"email,left_on\nbob@acme.example,{days_ago(20)}\n",
        "identity-map.yaml": "people:\n  - person: alice@acme.example\n"
        "    identities: {aws: [alice]}\n  - person: bob@acme.example\n"
        "    identities: {aws: [bob]}\n",
    }


class FakeIdp:
    def __init__(self, config: PostureConfig) -> None:
        self.config = config

    def collect(self, request: CollectRequest) -> list[Inventory]:
        assert "okta.users" in request.collections  # cross-provider checks ask for it
        users = (
            person("alice@acme.example"),
            person("bob@acme.example", active=False),
            person("dave@acme.example", created=NOW - timedelta(days=10)),
        )
        return [
            FakeDirectoryInventory(
                directory_users=users, outcomes=(CollectionOutcome(collection="okta.users"),)
            )
        ]


@pytest.fixture
def with_fake_idp(monkeypatch: pytest.MonkeyPatch) -> None:
    def load(name: str, config: PostureConfig) -> ProviderAdapter:
        return FakeIdp(config) if name == "okta" else load_adapter(name, config)

    monkeypatch.setattr(scan_module, "load_adapter", load)


def scan(root: Path, providers: tuple[str, ...]) -> FindingsDocument:
    from providers.aws.demo import demo_environment

    config = PostureConfig(evidence=EvidenceConfig(dir=root))
    checks = select_checks(all_checks(), with_cross_provider(providers))
    with demo_environment(config) as demo_config:
        clock: Callable[[], object] = lambda: NOW  # noqa: E731
        return run_scan(
            ScanPlan(providers=providers, checks=checks, config=demo_config),
            clock=clock,  # type: ignore[arg-type]
        )


def failing(doc: FindingsDocument) -> dict[tuple[str, str], tuple[str, ...]]:
    return {(f.check_id, f.resource.name): f.soc2 for f in doc.findings if f.status is Status.FAIL}


@pytest.mark.usefixtures("with_fake_idp")
def test_every_gap_found_with_its_criteria(write_files: WriteFiles) -> None:
    doc = scan(write_files(evidence_files()), ("okta", "aws", "evidence"))
    found = failing(doc)
    assert found[("identity.access.orphaned_access", "bob")] == ("CC6.2",)
    assert found[("identity.training.new_hire_overdue", "dave@acme.example")] == (
        "CC1.4",
        "CC2.2",
    )
    assert ("identity.training.not_completed", "dave@acme.example") in found
    assert ("identity.training.not_completed", "alice@acme.example") not in found
    assert found[("identity.access.unmanaged_console_identity", "carol")] == ("CC6.2",)
    assert found[("evidence.policies.approval_overdue", "information-security")][0] == "CC5.3"
    assert found[("evidence.risk.review_overdue", "Phishing")] == ("CC3.1", "CC3.2")
    assert found[("evidence.vendors.assessment_overdue", "Datadog")] == ("CC9.2",)
    assert found[("evidence.incident.tabletop_overdue", "incident-response/exercises.yaml")] == (
        "CC7.4",
    )
    assert found[("evidence.access.review_overdue", "aws")] == ("CC6.2", "CC6.3")
    bob = next(
        f for f in doc.findings if f.resource.name == "bob" and f.check_id.startswith("identity")
    )
    assert bob.provider == "identity" and bob.account == "123456789012"
    assert "hr/leavers.csv" in bob.message
    assert {t.provider for t in doc.scan.targets} == {"okta", "aws", "evidence"}
    assert not doc.scan.partial


def test_scan_cli_evidence_only(
    write_files: WriteFiles, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_files({**evidence_files(), "vendors.yaml": "vendors:\n  - name: X\n    bad\n"})
    out = tmp_path / "scan.json"
    with pytest.raises(SystemExit) as done:
        main(
            [
                "scan",
                "--provider",
                "evidence",
                "--evidence",
                str(root),
                "--format",
                "json",
                "--output",
                str(out),
                "-q",
            ]
        )
    assert done.value.code == 3  # partial: vendors.yaml did not validate
    doc = FindingsDocument.model_validate_json(out.read_text(encoding="utf-8"))
    (vendor_error,) = [e for e in doc.scan.errors if e.collection == "evidence.vendors"]
    assert vendor_error.message.startswith("vendors.yaml:")
    errors = [f for f in doc.findings if f.check_id.startswith("evidence.vendors")]
    assert errors and all(f.status is Status.ERROR for f in errors)
    # Without an identity provider the training checks say why they could not run.
    training = [f for f in doc.findings if f.check_id.startswith("identity.training")]
    assert training and all(f.status is Status.ERROR for f in training)
    assert json.loads(out.read_text(encoding="utf-8"))["schema_version"]


def test_evidence_init_and_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "ev"
    with pytest.raises(SystemExit) as done:
        main(["evidence", "init", str(root)])
    assert done.value.code == 0
    assert (root / "policies" / "encryption.md").exists()
    with pytest.raises(SystemExit) as done:
        main(["evidence", "validate", str(root)])
    assert done.value.code == 0
    (root / "training.csv").write_text("email,course,completed_on\na@x,SAT,yesterday\n")
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main(["evidence", "validate", str(root)])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert f"{root}/training.csv:2: completed_on:" in err
    with pytest.raises(SystemExit) as done:
        main(["evidence", "validate", str(tmp_path / "nope")])
    assert done.value.code == 2


def test_demo_scan_shows_the_demo_gaps(tmp_path: Path) -> None:
    out = tmp_path / "demo.json"
    with pytest.raises(SystemExit) as done:
        main(["scan", "--demo", "--format", "json", "--output", str(out), "-q"])
    assert done.value.code == 1  # findings; Cloud SQL disabled in a demo project is no gap
    doc = FindingsDocument.model_validate_json(out.read_text(encoding="utf-8"))
    found = {(f.check_id, f.resource.name) for f in doc.findings if f.status is Status.FAIL}
    assert {
        ("evidence.policies.required_missing", "business-continuity"),
        ("evidence.policies.approval_overdue", "change-management"),
        ("evidence.risk.review_overdue", "Ransomware on laptops"),
        ("evidence.vendors.assessment_overdue", "Datadog"),
        ("evidence.vendors.soc2_report_expired", "Datadog"),
        ("evidence.vendors.security_clause_missing", "Zendesk"),
        ("evidence.incident.tabletop_overdue", "incident-response/exercises.yaml"),
        ("evidence.access.review_overdue", "postgres-prod"),
        ("identity.access.orphaned_access", "bob"),
    } <= found
    passing = {(f.check_id, f.resource.name) for f in doc.findings if f.status is Status.PASS}
    assert ("evidence.vendors.assessment_overdue", "Stripe") in passing
    assert ("evidence.risk.review_overdue", "Compromised employee credentials") in passing
    # Cloud SQL disabled in a demo GCP project is no gap: that project holds no instances.
    assert doc.scan.errors == () and not doc.scan.partial
