"""`posture evidence init DIR`: a starter evidence directory with the SOC 2 policy library.

Everything written is honest: policies carry no approval until someone approves them, the
registers are empty, so a scan of a fresh starter set fails until the company fills it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from providers.evidence import layout
from scanner.errors import UsageError
from scanner.output.files import write_atomic


@dataclass(frozen=True)
class PolicyTemplate:
    id: str
    title: str
    purpose: str
    statements: tuple[str, ...]
    criteria: str


POLICY_TEMPLATES: tuple[PolicyTemplate, ...] = (
    PolicyTemplate(
        "information-security",
        "Information Security Policy",
        "Sets leadership's commitment to protecting customer and company information and "
        "assigns responsibility for the security program.",
        (
            "Leadership approves this policy and the policies below at least once a year.",
            "A named security owner runs the program and reports to leadership each quarter.",
            "Every employee and contractor acknowledges the policies when they join.",
            "Exceptions are documented, time-limited and approved by the security owner.",
        ),
        "CC1.1, CC1.3, CC2.2, CC5.3",
    ),
    PolicyTemplate(
        "acceptable-use",
        "Acceptable Use Policy",
        "Defines how people may use company systems, devices and data.",
        (
            "Company devices are encrypted, patched and screen-locked.",
            "Customer data is used only for the purpose it was collected for.",
            "Credentials are never shared; suspected compromise is reported at once.",
        ),
        "CC1.1, CC2.2",
    ),
    PolicyTemplate(
        "access-management",
        "Access Management Policy",
        "Governs how access to systems is requested, granted, reviewed and removed.",
        (
            "Access is granted by role, on least privilege, with the owner's approval.",
            "People sign in through the identity provider with MFA; local accounts are "
            "exceptions recorded in identity-map.yaml.",
            "Access to every system in scope is reviewed each quarter.",
            "Access is removed within one business day of a person leaving.",
        ),
        "CC6.1, CC6.2, CC6.3",
    ),
    PolicyTemplate(
        "incident-response",
        "Incident Response Policy",
        "Describes how security incidents are detected, contained, eradicated and recovered "
        "from, and how lessons are learned.",
        (
            "An incident commander is named for every incident; severity drives response times.",
            "Customers and authorities are notified as contracts and law require.",
            "The plan is tested with a tabletop exercise at least once a year.",
            "Every incident and exercise ends with recorded lessons learned.",
        ),
        "CC7.3, CC7.4, CC7.5",
    ),
    PolicyTemplate(
        "risk-management",
        "Risk Management Policy",
        "Sets how risks to the company's objectives are identified, assessed and treated.",
        (
            "A formal risk assessment is performed at least once a year.",
            "Each risk has a likelihood, an impact, an owner and the controls that treat it.",
            "The risk register is reviewed every quarter.",
        ),
        "CC3.1, CC3.2, CC3.3, CC3.4",
    ),
    PolicyTemplate(
        "change-management",
        "Change Management Policy",
        "Ensures changes to production are authorised, tested and traceable.",
        (
            "Every production change has a ticket or pull request with an approver other than "
            "its author.",
            "Changes are tested before release and can be rolled back.",
            "Emergency changes are reviewed after the fact.",
        ),
        "CC8.1",
    ),
    PolicyTemplate(
        "data-retention",
        "Data Retention and Disposal Policy",
        "Defines how long each type of data is kept and how it is disposed of.",
        (
            "Each data type has a retention period and an owner.",
            "Data past its retention period is deleted, automatically where possible.",
            "Disposal of media and data is recorded.",
        ),
        "C1.1, C1.2, CC6.5",
    ),
    PolicyTemplate(
        "vendor-management",
        "Vendor Management Policy",
        "Governs the selection and oversight of vendors that access data or systems.",
        (
            "Every vendor is recorded in vendors.yaml with its criticality and data access.",
            "Critical vendors are assessed every year and provide a current SOC 2 report.",
            "Contracts with vendors that access data include security requirements.",
        ),
        "CC9.2",
    ),
    PolicyTemplate(
        "business-continuity",
        "Business Continuity and Disaster Recovery Policy",
        "Keeps the service available through disruptions.",
        (
            "Recovery time and recovery point objectives are set for each critical system.",
            "Backups are taken, protected and restored in a test at least once a year.",
            "The continuity plan is tested at least once a year.",
        ),
        "CC9.1, A1.2, A1.3",
    ),
    PolicyTemplate(
        "encryption",
        "Encryption Policy",
        "Sets how data is protected in transit and at rest, and how keys are managed.",
        (
            "Data in transit uses TLS 1.2 or later; plaintext protocols are not allowed.",
            "Data at rest is encrypted with managed keys that rotate.",
            "Secrets are kept in a secrets manager, never in code or plaintext files.",
        ),
        "CC6.1, CC6.7",
    ),
)


def policy_text(t: PolicyTemplate) -> str:
    body = "\n".join(f"- {s}" for s in t.statements)
    return (
        "---\n"
        f"title: {t.title}\n"
        "owner: ''              # the person accountable for this policy, e.g. cto@example.com\n"
        "approved_by: ''        # who approved it (leadership), filled in at approval\n"
        "approved_on:           # YYYY-MM-DD of the last approval\n"
        "review_interval: 12 months\n"
        "version: '0.1'\n"
        "---\n\n"
        f"# {t.title}\n\n"
        f"SOC 2 criteria: {t.criteria}\n\n"
        f"## Purpose\n\n{t.purpose}\n\n"
        f"## Policy\n\n{body}\n\n"
        "## Review\n\nThe owner reviews this policy at least every review_interval; leadership "
        "approves each version. Record the approval in the front matter above.\n"
    )


STARTER_FILES: dict[str, str] = {
    layout.MANIFEST_FILE: (
        "# posture evidence directory: see docs/evidence.md\n"
        "organisation: Example Inc.\n"
        "systems_in_scope:        # access to each is reviewed every quarter\n"
        "  - aws\n"
        "  - okta\n"
        "awareness_courses:       # course names that count as security awareness training\n"
        "  - Security Awareness\n"
    ),
    layout.RISK_REGISTER_FILE: ",".join(layout.RISK_COLUMNS) + "\n",
    layout.TRAINING_FILE: ",".join(layout.TRAINING_COLUMNS) + "\n",
    layout.ACCESS_REVIEWS_FILE: ",".join(layout.ACCESS_REVIEW_COLUMNS) + "\n",
    layout.LEAVERS_FILE: "email,name,left_on\n",
    layout.VENDORS_FILE: (
        "# One entry per vendor that touches data or systems.\n"
        "# - name: Example Payroll\n"
        "#   criticality: critical        # critical, high, medium or low\n"
        "#   data_access: employee PII    # what it reaches; 'none' if nothing\n"
        "#   last_assessed: 2026-01-15\n"
        "#   soc2_report_expires: 2026-09-30\n"
        "#   contract_security_clause: true\n"
        "vendors: []\n"
    ),
    layout.EXERCISES_FILE: (
        "# Incident response tabletop exercises and incident reviews.\n"
        "# - date: 2026-03-12\n"
        "#   type: tabletop              # tabletop, simulation or incident\n"
        "#   lessons: |\n"
        "#     What worked, what did not, and the follow-up tickets.\n"
        "exercises: []\n"
    ),
    layout.IDENTITY_MAP_FILE: (
        "# People whose cloud identities do not match their identity-provider email or login.\n"
        "# - person: alice@example.com      # email or login in Okta / Azure AD\n"
        "#   aliases: [alice@old-domain.com] # other emails, e.g. in training records\n"
        "#   identities:\n"
        "#     aws: [alice-admin]             # IAM user names or ARNs\n"
        "#     gcp: [alice.contractor@gmail.com]\n"
        "people: []\n"
    ),
}


def starter_files() -> dict[str, str]:
    files = dict(STARTER_FILES)
    for t in POLICY_TEMPLATES:
        files[f"{layout.POLICIES_DIR}/{t.id}.md"] = policy_text(t)
    return files


def write_starter(root: Path) -> tuple[list[str], list[str]]:
    """Writes every starter file that does not exist yet; returns (written, kept)."""
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a directory")
    written: list[str] = []
    kept: list[str] = []
    for rel, text in starter_files().items():
        target = root / rel
        if target.exists():
            kept.append(rel)
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create {target.parent}: {exc.strerror or exc}") from None
        write_atomic(target, text)
        written.append(rel)
    return written, kept
