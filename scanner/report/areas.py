"""The SOC 2 areas where audits fail (the seed article's ten, with network exposure apart from
encryption), and which findings belong where.

Every finding lands in exactly one area, so the areas' counts add up to the scan's.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.models.enums import Category
from scanner.models.findings import Finding


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    criteria: str
    """The criteria the area speaks to, for display."""


AREAS: tuple[Area, ...] = (
    Area("policies", "Policies", "CC5.3, CC1.1, CC1.3"),
    Area("access", "Access controls", "CC6.1, CC6.2, CC6.3"),
    Area("risk", "Risk assessment", "CC3.1, CC3.2"),
    Area("logging", "Logging and monitoring", "CC7.2, CC7.3"),
    Area("training", "Security awareness training", "CC1.4, CC2.2"),
    Area("change", "Change management", "CC8.1"),
    Area("retention", "Data retention, backups and disposal", "C1.1, C1.2, A1.2"),
    Area("vendors", "Vendor management", "CC9.2"),
    Area("incident", "Incident response", "CC7.3, CC7.4, CC7.5"),
    Area("encryption", "Encryption", "CC6.1, CC6.7"),
    Area("network", "Network exposure", "CC6.6"),
)
AREA_BY_KEY = {a.key: a for a in AREAS}

_BY_CHECK_PREFIX = (
    ("evidence.policies.", "policies"),
    ("evidence.access.", "access"),
    ("identity.access.", "access"),
    ("evidence.risk.", "risk"),
    ("identity.training.", "training"),
    ("evidence.vendors.", "vendors"),
    ("evidence.incident.", "incident"),
)
_BY_CRITERION = (
    (("CC9.2",), "vendors"),
    (("CC8.1",), "change"),
    (("C1.1", "C1.2", "A1.2", "A1.3"), "retention"),
    (("CC6.6",), "network"),
    (("CC7.4", "CC7.5"), "incident"),
    (("CC3.1", "CC3.2", "CC3.3", "CC3.4"), "risk"),
    (("CC1.4", "CC2.2"), "training"),
    (("CC6.7",), "encryption"),
)
_BY_CATEGORY = {
    Category.ACCESS_CONTROL: "access",
    Category.LOGGING: "logging",
    Category.ENCRYPTION: "encryption",
    Category.NETWORK: "network",
    Category.RETENTION: "retention",
    Category.GOVERNANCE: "policies",
}


def area_of(finding: Finding) -> Area:
    """By check family first, then by the criteria it tests, then by category."""
    for prefix, key in _BY_CHECK_PREFIX:
        if finding.check_id.startswith(prefix):
            return AREA_BY_KEY[key]
    criteria = set(finding.soc2)
    for wanted, key in _BY_CRITERION:
        if criteria.intersection(wanted):
            return AREA_BY_KEY[key]
    return AREA_BY_KEY[_BY_CATEGORY[finding.category]]
