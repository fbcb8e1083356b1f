"""Closed vocabularies of the findings contract."""

from enum import StrEnum


class Status(StrEnum):
    FAIL = "fail"
    PASS = "pass"
    ERROR = "error"
    MUTED = "muted"

    @property
    def order(self) -> int:
        """Its place in STATUS_ORDER: fail 0, error 1, muted 2, pass 3."""
        return _STATUS_POSITION[self]


STATUS_ORDER: tuple[Status, ...] = (Status.FAIL, Status.ERROR, Status.MUTED, Status.PASS)
"""Worst first: how findings are listed and statuses are counted in tables."""
_STATUS_POSITION = {status: i for i, status in enumerate(STATUS_ORDER)}


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: info=0 … critical=4."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


class Category(StrEnum):
    ACCESS_CONTROL = "access-control"
    LOGGING = "logging"
    ENCRYPTION = "encryption"
    NETWORK = "network"
    RETENTION = "retention"
    GOVERNANCE = "governance"


class Outcome(StrEnum):
    """How one collection (one API read for one scope) ended."""

    OK = "ok"
    ACCESS_DENIED = "access_denied"
    API_DISABLED = "api_disabled"
    NOT_AVAILABLE = "not_available"
    OUT_OF_SCOPE = "out_of_scope"
    """The scope is closed to the scan by its owner's guardrail (a region an AWS service
    control policy denies): no data and no verdicts for it, and no gap in the scan."""
    ERROR = "error"
