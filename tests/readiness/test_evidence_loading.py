"""The evidence provider: the starter set, the format, and errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from providers.evidence.adapter import all_problems, read_evidence
from providers.evidence.collections import COLLECTIONS as EVIDENCE_TABLE
from providers.evidence.demo import DEMO_DIR, REFERENCE_DATE, materialise, shift_dates
from providers.evidence.starter import POLICY_TEMPLATES, write_starter
from scanner.config.evidence import POLICY_LIBRARY
from scanner.inventory import evidence as ev
from scanner.models.enums import Outcome
from tests.readiness.helpers import WriteFiles

EVIDENCE_NAMES = tuple(c.name for c in EVIDENCE_TABLE)


def test_starter_set_has_the_policy_library_and_every_file(tmp_path: Path) -> None:
    written, kept = write_starter(tmp_path / "ev")
    assert kept == []
    assert {t.id for t in POLICY_TEMPLATES} == set(POLICY_LIBRARY)
    assert {f"policies/{p}.md" for p in POLICY_LIBRARY} <= set(written)
    inv = read_evidence(tmp_path / "ev")
    assert all(o.ok for o in inv.outcomes), [o.describe() for o in inv.outcomes if not o.ok]
    assert {p.id for p in inv.policies} == set(POLICY_LIBRARY)
    # Honest starter: nothing is approved, registers are empty.
    assert all(p.approved_on is None and p.owner is None for p in inv.policies)
    assert inv.risk_register is not None and inv.risk_register.risks == ()
    assert inv.vendors == () and inv.exercises == () and inv.training == ()
    assert inv.manifest is not None and inv.manifest.systems_in_scope == ("aws", "okta")


def test_starter_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "ev"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "encryption.md").write_text("mine", encoding="utf-8")
    written, kept = write_starter(root)
    assert kept == ["policies/encryption.md"]
    assert (root / "policies" / "encryption.md").read_text(encoding="utf-8") == "mine"
    assert "policies/encryption.md" not in written


def test_reads_every_kind_of_evidence(write_files: WriteFiles) -> None:
    root = write_files(
        {
            "evidence.yaml": "organisation: Acme\nsystems_in_scope: [aws]\n",
            "policies/encryption.md": "---\ntitle: Encryption\nowner: cto@acme.example\n"
            "approved_by: ceo@acme.example\napproved_on: 2026-02-01\nreview_interval: annual\n"
            "---\n# body\n",
            "risk-register.csv": "Risk,Likelihood,Impact,Owner,Controls,Last_Reviewed,Extra\n"
            "Phishing,high,high,ciso,MFA,2026-10-02,ignored\n",
            "training.csv": "email,course,completed_on\nA@acme.example,Security Awareness,"
            "2026-03-01\n",
            "vendors.yaml": "vendors:\n  - name: Stripe\n    criticality: critical\n"
            "    data_access: payments\n    last_assessed: 2026-01-01\n",
            "incident-response/exercises.yaml": "- date: 2026-05-01\n  type: tabletop\n"
            "  lessons: paging works\n",
            "access-reviews.csv": "system,reviewer,completed_on\naws,ciso,2026-10-10\n",
            "hr/leavers.csv": "email,name,left_on\nbob@acme.example,Bob,2026-09-30\n",
            "identity-map.yaml": "people:\n  - person: bob@acme.example\n"
            "    identities: {aws: [bob]}\n",
        }
    )
    inv = read_evidence(root)
    assert inv.account == "Acme"
    assert all(o.ok for o in inv.outcomes)
    assert {o.collection for o in inv.outcomes} == set(EVIDENCE_NAMES)
    (policy,) = inv.policies
    assert (policy.id, policy.review_interval_months, str(policy.approved_on)) == (
        "encryption",
        12,
        "2026-02-01",
    )
    assert inv.risk_register is not None
    assert inv.risk_register.risks[0].line == 2
    assert inv.training is not None and inv.training[0].email == "A@acme.example"
    assert inv.vendors is not None and inv.vendors[0].line == 2
    assert inv.exercises is not None and inv.exercises[0].type == "tabletop"
    assert inv.leavers[0].email == "bob@acme.example"
    assert inv.identity_map[0].identities == {"aws": ("bob",)}


def test_absent_files_are_data_not_errors(tmp_path: Path) -> None:
    inv = read_evidence(tmp_path)
    assert all(o.ok for o in inv.outcomes)
    assert inv.risk_register is None and inv.vendors is None and inv.training is None
    assert inv.policies == () and inv.leavers == () and inv.identity_map == ()
    assert inv.account == tmp_path.name


@pytest.mark.parametrize(
    ("files", "collection", "expected"),
    [
        (
            {
                "vendors.yaml": "vendors:\n  - name: A\n    criticality: critical\n"
                "    data_access: none\n  - name: B\n    criticality: critical\n"
                "    data_access: logs\n    last_assessed: 2026-13-01\n"
            },
            ev.VENDORS,
            "vendors.yaml:8: vendors[1].last_assessed:",
        ),
        (
            {
                "vendors.yaml": "vendors:\n  - name: A\n    criticality: urgent\n"
                "    data_access: none\n"
            },
            ev.VENDORS,
            "vendors.yaml:3: vendors[0].criticality:",
        ),
        (
            {"vendors.yaml": "vendors:\n  - name: A\n    criticality: low\n    data_acess: none\n"},
            ev.VENDORS,
            "vendors.yaml:4: vendors[0].data_acess: unknown field",
        ),
        (
            {
                "risk-register.csv": "risk,likelihood,impact,owner,controls,last_reviewed\n"
                "A,low,low,me,x,2026-01-01\nB,low,low,me,x,01/02/2026\n"
            },
            ev.RISK_REGISTER,
            "risk-register.csv:3: last_reviewed:",
        ),
        (
            {"risk-register.csv": "risk,likelihood,owner\nA,low,me\n"},
            ev.RISK_REGISTER,
            "risk-register.csv:1: missing column(s) impact, controls, last_reviewed",
        ),
        (
            {"training.csv": "email,course,completed_on\na@x,Sec,2026-01-01\nb@x,,2026-01-01\n"},
            ev.TRAINING,
            "training.csv:3: course: required field is missing",
        ),
        (
            {
                "incident-response/exercises.yaml": "exercises:\n  - date: 2026-01-01\n"
                "    type: [tabletop\n"
            },
            ev.EXERCISES,
            "incident-response/exercises.yaml:",
        ),
        (
            {"evidence.yaml": "organisation: Acme\nsystems_in_scop: [aws]\n"},
            ev.MANIFEST,
            "evidence.yaml:2: systems_in_scop: unknown field",
        ),
    ],
)
def test_invalid_files_fail_their_collection_naming_file_and_line(
    write_files: WriteFiles, files: dict[str, str], collection: str, expected: str
) -> None:
    root = write_files(files)
    inv = read_evidence(root)
    (outcome,) = [o for o in inv.outcomes if o.collection == collection]
    assert outcome.outcome is Outcome.ERROR
    assert outcome.message.split(":")[0] == expected.split(":")[0], outcome.message
    assert outcome.missing is not None and outcome.missing.startswith("a valid ")
    assert any(str(p).startswith(expected) for p in all_problems(root))


def test_invalid_policy_fails_only_its_own_file(write_files: WriteFiles) -> None:
    root = write_files(
        {
            "policies/encryption.md": "---\ntitle: Encryption\nowner: cto\n---\n",
            "policies/acceptable-use.md": "---\ntitle: AUP\nowner: cto\n"
            "aproved_on: 2026-01-01\n---\n",
            "policies/change-management.md": "# no front matter\n",
            "policies/data-retention.md": "---\ntitle: DR\nreview_interval: fortnightly\n---\n",
        }
    )
    inv = read_evidence(root)
    assert [p.id for p in inv.policies] == ["encryption"]
    messages = sorted(o.message for o in inv.outcomes if not o.ok)
    assert messages == [
        "policies/acceptable-use.md:4: aproved_on: unknown field (check the spelling; see "
        "docs/evidence.md)",
        "policies/change-management.md:1: no YAML front matter (the file must start with ---)",
        "policies/data-retention.md:3: review_interval: Value error, review_interval must be a "
        "number of months, 'N months', 'N years' or 'annual'",
    ]
    assert {o.scope for o in inv.outcomes if not o.ok} == {
        "policies/acceptable-use.md",
        "policies/change-management.md",
        "policies/data-retention.md",
    }


def test_only_requested_collections_are_read(write_files: WriteFiles) -> None:
    root = write_files({"vendors.yaml": "not: [valid\n"})
    inv = read_evidence(root, frozenset({ev.POLICIES}))
    assert {o.collection for o in inv.outcomes} == {ev.POLICIES}


def test_demo_dates_move_with_today(tmp_path: Path) -> None:
    assert shift_dates("a 2026-06-15 b 2026-02-30", 10) == "a 2026-06-25 b 2026-02-30"
    root = materialise(tmp_path / "demo", REFERENCE_DATE)
    assert (root / "vendors.yaml").read_text() == (DEMO_DIR / "vendors.yaml").read_text()
    inv = read_evidence(root)
    assert all(o.ok for o in inv.outcomes), [o.describe() for o in inv.outcomes if not o.ok]
    assert inv.account == "Acme Analytics"


def test_common_alternative_names_and_formats(write_files: WriteFiles) -> None:
    root = write_files(
        {
            "evidence.yml": "Organization: Acme\nsystems: [aws]\n",
            "risk_register.csv": "Risk,Likelihood,Impact,Owner,Controls,Last Reviewed\n"
            "Phishing,high,high,ciso,MFA,2026-10-02\n",
            "training-records.csv": "Email,Course,Completion Date\na@x,SAT,2026-03-01\n",
            "vendors.csv": "name,criticality,data access,last_assessed,security_clause\n"
            "Stripe,critical,payments,2026-01-01,yes\n",
            "exercises.yaml": "- date: 2026-05-01\n  type: tabletop\n  lessons: ok\n",
            "access_reviews.yaml": "access_reviews:\n  - system: aws\n    reviewer: ciso\n"
            "    completed_on: 2026-10-10\n",
            "leavers.csv": "email,termination_date\nbob@x,2026-09-30\n",
            "policies/encryption.md": "---\ntitle: E\nowner: o\napproved_by: c\n"
            "approved_on: 2026-02-01\nreview_interval: 1y\n---\n",
        }
    )
    inv = read_evidence(root)
    assert all(o.ok for o in inv.outcomes), [o.describe() for o in inv.outcomes if not o.ok]
    assert inv.manifest is not None and inv.manifest.organisation == "Acme"
    assert inv.manifest.systems_in_scope == ("aws",)
    assert inv.risk_register is not None and inv.risk_register.path == "risk_register.csv"
    assert inv.training is not None and str(inv.training[0].completed_on) == "2026-03-01"
    assert inv.vendors is not None and inv.vendors[0].contract_security_clause is True
    assert inv.exercises is not None and len(inv.exercises) == 1
    assert inv.access_reviews is not None and inv.access_reviews[0].system == "aws"
    assert inv.leavers[0].email == "bob@x"
    assert inv.policies[0].review_interval_months == 12


def test_errors_name_the_file_actually_read(write_files: WriteFiles) -> None:
    root = write_files(
        {"risks.csv": "risk,likelihood,impact,owner,controls,last_reviewed\nA,low,low,me,x,soon\n"}
    )
    inv = read_evidence(root)
    (bad,) = [o for o in inv.outcomes if not o.ok]
    assert bad.message.startswith("risks.csv:2: last_reviewed:")
    assert bad.missing == "a valid risks.csv"
