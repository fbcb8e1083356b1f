"""Each evidence check on hand-built inventories with a fixed clock: exact pass and fail sets."""

from __future__ import annotations

from datetime import date

from checks.evidence.access import review_overdue as access_review
from checks.evidence.dates import add_months, quarter_start
from checks.evidence.incident import tabletop_overdue
from checks.evidence.policies import approval_overdue, required_missing
from checks.evidence.risk import register_missing
from checks.evidence.risk import review_overdue as risk_review
from checks.evidence.vendors import (
    assessment_overdue,
    security_clause_missing,
    soc2_report_expired,
)
from providers.evidence.collections import COLLECTIONS as EVIDENCE_TABLE
from scanner.config import PostureConfig
from scanner.config.evidence import POLICY_LIBRARY, EvidenceConfig
from scanner.inventory import evidence as ev
from scanner.models.enums import Outcome, Status
from scanner.models.inventory import CollectionOutcome
from tests.readiness.helpers import NOW, context, names, run

EVIDENCE_NAMES = tuple(c.name for c in EVIDENCE_TABLE)

# NOW is 2026-11-26: Q4 2026 started on 2026-10-01.


def inventory(**fields: object) -> ev.EvidenceInventory:
    outcomes = tuple(CollectionOutcome(collection=c) for c in EVIDENCE_NAMES)
    return ev.EvidenceInventory(account="Acme", root="/ev", outcomes=outcomes, **fields)  # type: ignore[arg-type]


def policy(
    pid: str, approved: date | None, months: int = 12, by: str | None = "ceo"
) -> ev.PolicyDocument:
    return ev.PolicyDocument(
        id=pid,
        path=f"policies/{pid}.md",
        title=pid,
        owner="ciso",
        approved_by=by,
        approved_on=approved,
        review_interval_months=months,
    )


def test_dates() -> None:
    assert quarter_start(date(2026, 11, 26)) == date(2026, 10, 1)
    assert quarter_start(date(2026, 3, 31)) == date(2026, 1, 1)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2025, 11, 30), 12) == date(2026, 11, 30)


def test_required_policy_missing() -> None:
    present = [policy(p, date(2026, 6, 1)) for p in POLICY_LIBRARY if p != "encryption"]
    results = run(required_missing.CHECK, inventory(policies=tuple(present)))
    assert names(results, Status.FAIL) == {"encryption"}
    assert names(results, Status.PASS) == set(POLICY_LIBRARY) - {"encryption"}
    assert required_missing.META.soc2[0] == "CC5.3"


def test_required_policies_come_from_config() -> None:
    config = PostureConfig(evidence=EvidenceConfig(required_policies=("privacy",)))
    results = run(required_missing.CHECK, inventory(), context(config))
    assert names(results, Status.FAIL) == {"privacy"}
    assert len(results) == 1


def test_policy_approval_overdue() -> None:
    policies = (
        policy("fresh", date(2026, 1, 15)),
        policy("overdue", date(2025, 11, 20)),  # due 2026-11-20, today 2026-11-26
        policy("on-the-day", date(2025, 11, 26)),  # due today: not yet overdue
        policy("half-yearly", date(2026, 4, 1), months=6),  # due 2026-10-01
        policy("never", None),
        policy("no-approver", date(2026, 6, 1), by=None),
        policy("long-interval", date(2025, 6, 1), months=24),  # capped at 365 days
        policy("typo", date(2062, 11, 1)),
    )
    results = run(approval_overdue.CHECK, inventory(policies=policies))
    assert names(results, Status.FAIL) == {
        "overdue",
        "half-yearly",
        "never",
        "no-approver",
        "long-interval",
        "typo",
    }
    assert names(results, Status.PASS) == {"fresh", "on-the-day"}
    never = next(r for r in results if r.resource.name == "never")
    assert "approved_on" in never.message


def test_risk_register_missing_empty_present() -> None:
    missing = run(register_missing.CHECK, inventory())
    assert [r.status for r in missing] == [Status.FAIL]
    assert "no risk register" in missing[0].message
    empty = run(
        register_missing.CHECK,
        inventory(risk_register=ev.RiskRegister(path="risk-register.csv")),
    )
    assert [r.status for r in empty] == [Status.FAIL]
    risk = ev.Risk(
        line=2,
        risk="r",
        likelihood="l",
        impact="h",
        owner="o",
        controls="c",
        last_reviewed=date(2026, 10, 2),
    )
    ok = run(
        register_missing.CHECK,
        inventory(risk_register=ev.RiskRegister(path="risk-register.csv", risks=(risk,))),
    )
    assert [r.status for r in ok] == [Status.PASS]
    # risk review says nothing about a missing register (the check above fails it)
    assert run(risk_review.CHECK, inventory()) == []


def test_risk_review_this_quarter() -> None:
    def risk(name: str, day: date, line: int) -> ev.Risk:
        return ev.Risk(
            line=line,
            risk=name,
            likelihood="m",
            impact="h",
            owner="o",
            controls="c",
            last_reviewed=day,
        )

    register = ev.RiskRegister(
        path="risk-register.csv",
        risks=(
            risk("reviewed", date(2026, 10, 1), 2),
            risk("last-quarter", date(2026, 9, 30), 3),
            risk("ancient", date(2025, 1, 1), 4),
        ),
    )
    results = run(risk_review.CHECK, inventory(risk_register=register))
    assert names(results, Status.FAIL) == {"last-quarter", "ancient"}
    assert names(results, Status.PASS) == {"reviewed"}
    ancient = next(r for r in results if r.resource.name == "ancient")
    assert "line 4" in ancient.message and "Q4 2026" in ancient.message
    assert set(risk_review.META.soc2) == {"CC3.1", "CC3.2"}


def vendor(name: str, criticality: str = "critical", **kw: object) -> ev.Vendor:
    return ev.Vendor(
        name=name, criticality=criticality, data_access=kw.pop("data_access", "logs"), **kw
    )  # type: ignore[arg-type]


def test_vendor_checks() -> None:
    vendors = (
        vendor(
            "good",
            last_assessed=date(2026, 3, 1),
            soc2_report_expires=date(2027, 1, 1),
            contract_security_clause=True,
        ),
        vendor(
            "stale",
            last_assessed=date(2025, 11, 1),
            soc2_report_expires=date(2026, 11, 1),
            contract_security_clause=True,
        ),
        vendor("never", contract_security_clause=False),
        vendor("minor", "low", data_access="none"),
        vendor("helpdesk", "high", data_access="customer PII"),
    )
    inv = inventory(vendors=vendors)
    assessed = run(assessment_overdue.CHECK, inv)
    assert names(assessed, Status.FAIL) == {"stale", "never"}
    assert names(assessed, Status.PASS) == {"good"}
    reports = run(soc2_report_expired.CHECK, inv)
    assert names(reports, Status.FAIL) == {"stale", "never"}
    assert names(reports, Status.PASS) == {"good"}
    clauses = run(security_clause_missing.CHECK, inv)
    assert names(clauses, Status.FAIL) == {"never", "helpdesk"}
    assert names(clauses, Status.PASS) == {"good", "stale"}
    for check in (assessment_overdue, soc2_report_expired, security_clause_missing):
        assert check.META.soc2 == ("CC9.2",)


def test_no_vendor_inventory_is_a_finding() -> None:
    results = run(assessment_overdue.CHECK, inventory())
    assert [r.status for r in results] == [Status.FAIL]
    assert "vendors.yaml" in results[0].message
    empty = run(assessment_overdue.CHECK, inventory(vendors=()))
    assert [r.status for r in empty] == [Status.FAIL]
    assert "lists no vendors" in empty[0].message


def test_tabletop() -> None:
    def ex(day: date, kind: str = "tabletop") -> ev.Exercise:
        return ev.Exercise(date=day, type=kind, lessons="x")

    assert [r.status for r in run(tabletop_overdue.CHECK, inventory())] == [Status.FAIL]
    recent = run(tabletop_overdue.CHECK, inventory(exercises=(ex(date(2026, 1, 10)),)))
    assert [r.status for r in recent] == [Status.PASS]
    old = run(
        tabletop_overdue.CHECK,
        inventory(exercises=(ex(date(2025, 11, 1)), ex(date(2026, 6, 1), "incident"))),
    )
    assert [r.status for r in old] == [Status.FAIL]
    assert "2025-11-01" in old[0].message
    future = run(tabletop_overdue.CHECK, inventory(exercises=(ex(date(2027, 1, 1)),)))
    assert [r.status for r in future] == [Status.FAIL]
    assert tabletop_overdue.META.soc2 == ("CC7.4",)


def test_access_reviews() -> None:
    manifest = ev.Manifest(organisation="Acme", systems_in_scope=("aws", "Okta", "github", "db"))
    reviews = (
        ev.AccessReview(line=2, system="aws", reviewer="ciso", completed_on=date(2026, 10, 5)),
        ev.AccessReview(line=3, system="okta", reviewer="it", completed_on=date(2026, 11, 1)),
        ev.AccessReview(line=4, system="github", reviewer="cto", completed_on=date(2026, 9, 29)),
    )
    results = run(access_review.CHECK, inventory(manifest=manifest, access_reviews=reviews))
    assert names(results, Status.PASS) == {"aws", "Okta"}
    assert names(results, Status.FAIL) == {"github", "db"}
    no_file = run(access_review.CHECK, inventory(manifest=manifest))
    assert names(no_file, Status.FAIL) == {"aws", "Okta", "github", "db"}
    no_scope = run(access_review.CHECK, inventory(access_reviews=reviews))
    assert names(no_scope, Status.FAIL) == {"evidence.yaml", "github"}
    assert names(no_scope, Status.PASS) == {"aws", "okta"}
    assert "systems_in_scope" in no_scope[0].message
    assert set(access_review.META.soc2) == {"CC6.2", "CC6.3"}


def test_invalid_file_means_error_not_pass() -> None:
    bad = CollectionOutcome(
        collection=ev.VENDORS,
        outcome=Outcome.ERROR,
        missing="a valid vendors.yaml",
        message="vendors.yaml:7: vendors[1].last_assessed: Input should be a valid date",
    )
    inv = ev.EvidenceInventory(account="Acme", root="/ev", outcomes=(bad,))
    results = run(assessment_overdue.CHECK, inv)
    errors = [r for r in results if r.status is Status.ERROR]
    assert len(errors) == 1
    assert "vendors.yaml:7" in errors[0].message
    assert not [r for r in results if r.status is Status.PASS]


def test_fixed_clock_is_used() -> None:
    assert NOW.date() == date(2026, 11, 26)


def test_invalid_files_are_never_reported_as_absent() -> None:
    for collection, check in (
        (ev.VENDORS, assessment_overdue.CHECK),
        (ev.RISK_REGISTER, register_missing.CHECK),
        (ev.EXERCISES, tabletop_overdue.CHECK),
        (ev.ACCESS_REVIEWS, access_review.CHECK),
        (ev.MANIFEST, access_review.CHECK),
    ):
        outcomes = tuple(
            CollectionOutcome(collection=c)
            if c != collection
            else CollectionOutcome(collection=c, outcome=Outcome.ERROR, message="f:3: bad")
            for c in EVIDENCE_NAMES
        )
        inv = ev.EvidenceInventory(
            account="Acme",
            root="/ev",
            outcomes=outcomes,
            manifest=ev.Manifest(organisation="Acme", systems_in_scope=("aws",))
            if collection != ev.MANIFEST
            else None,
        )
        results = run(check, inv)
        assert [r.status for r in results] == [Status.ERROR], (collection, results)
        assert "f:3: bad" in results[0].message


def test_required_policies_recognised_by_title_and_synonym() -> None:
    from checks.evidence.policies.library import policy_key

    assert policy_key("Information_Security Policy") == "information-security"

    def doc(stem: str, title: str) -> ev.PolicyDocument:
        return ev.PolicyDocument(id=stem, path=f"policies/{stem}.md", title=title, owner="o")

    policies = (
        doc("information_security_policy", "InfoSec"),
        doc("aup", "Acceptable Use"),
        doc("iam", "Access Control Policy"),
        doc("ir-plan", "Incident Response Plan"),
        doc("risk", "Risk Assessment Policy"),
        doc("change", "Change Control"),
        doc("retention", "Data Retention and Disposal Policy"),
        doc("third-party", "Third-Party Risk Management Policy"),
        doc("bcdr", "Business Continuity and Disaster Recovery Policy"),
        doc("crypto", "Cryptography Policy"),
        doc("security-awareness", "Security Awareness Program"),  # not encryption, not infosec
    )
    results = run(required_missing.CHECK, inventory(policies=policies))
    assert names(results, Status.FAIL) == set()
    assert names(results, Status.PASS) == set(POLICY_LIBRARY)
    only_awareness = run(required_missing.CHECK, inventory(policies=policies[-1:]))
    assert names(only_awareness, Status.FAIL) == set(POLICY_LIBRARY)
