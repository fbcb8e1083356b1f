"""The populations auditors sample, read from the findings of each day's last scans.

A findings document carries no inventory, only findings about resources: a member of a
population is a resource some finding of that scan names (with a pass, fail or muted result;
an error result proves nothing about a resource). A resource no check looked at is not in
any population. What makes a resource a member:

- human_users: a user resource type of an identity or cloud provider (per provider);
- credentials: AWS access keys (a finding's `key_slot`/`active_key_slots` evidence on a user),
  GCP service-account keys, Okta API tokens;
- admins: a resource a finding shows holding privilege (`roles`, `role`, `admin_roles`,
  `basic_roles` evidence, `is_admin: true`, or a failing `aws.iam.user_has_admin`);
- data_stores: buckets and databases;
- repositories: source repositories (any resource type naming a repository).

Partial scans are left out (a failed collection would make members leave and come back).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from pydantic import JsonValue

from scanner.models.enums import Status
from scanner.models.findings import Finding

HUMAN_USER_TYPES = frozenset(
    {"AWS::IAM::User", "Microsoft.Graph/user", "admin.googleapis.com/User", "Okta::User"}
)
KEY_TYPES = frozenset({"iam.googleapis.com/ServiceAccountKey", "Okta::ApiToken"})
DATA_STORE_TYPES = frozenset(
    {
        "AWS::S3::Bucket",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::DynamoDB::Table",
        "storage.googleapis.com/Bucket",
        "sqladmin.googleapis.com/Instance",
        "bigquery.googleapis.com/Dataset",
    }
)
PRIVILEGE_EVIDENCE = ("roles", "role", "admin_roles", "basic_roles")
ADMIN_CHECKS = frozenset({"aws.iam.user_has_admin"})
POPULATIONS = ("human_users", "credentials", "admins", "data_stores", "repositories")
COLUMNS = ("population", "provider", "account", "uid", "type", "name", "detail", "source_scan")
CHANGE_COLUMNS = ("date", "change", *COLUMNS)


@dataclass(frozen=True)
class Member:
    population: str
    provider: str
    account: str
    uid: str
    type: str
    name: str
    detail: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.population, self.provider, self.account, self.uid)

    def row(self, source_scan: str) -> dict[str, str]:
        return {
            "population": self.population,
            "provider": self.provider,
            "account": self.account,
            "uid": self.uid,
            "type": self.type,
            "name": self.name,
            "detail": self.detail,
            "source_scan": source_scan,
        }


def _member(population: str, f: Finding, detail: str = "", **override: str) -> Member:
    return Member(
        population,
        f.provider,
        f.account,
        override.get("uid", f.resource.uid),
        f.resource.type,
        override.get("name", f.resource.name),
        detail,
    )


def _slots(evidence: Mapping[str, JsonValue]) -> list[int]:
    single = evidence.get("key_slot")
    many = evidence.get("active_key_slots")
    slots = [single] if isinstance(single, int) else []
    if isinstance(many, list):
        slots.extend(s for s in many if isinstance(s, int))
    return slots


def _privilege(f: Finding) -> str | None:
    for key in PRIVILEGE_EVIDENCE:
        value = f.evidence.get(key)
        if isinstance(value, list) and value:
            return ", ".join(str(v) for v in value)
        if isinstance(value, str) and value:
            return value
    if f.evidence.get("is_admin") is True:
        return "is_admin"
    if f.check_id in ADMIN_CHECKS and f.status is Status.FAIL:
        return f.check_id
    return None


def members_of(f: Finding) -> Iterator[Member]:
    """The population members one finding names (a resource may be in several)."""
    if f.status is Status.ERROR or f.provider == "identity":
        # identity.* findings repeat the providers' users across providers.
        return
    kind = f.resource.type
    if kind in HUMAN_USER_TYPES:
        yield _member("human_users", f)
    if kind in KEY_TYPES:
        yield _member("credentials", f)
    for slot in _slots(f.evidence):
        yield _member(
            "credentials",
            f,
            uid=f"{f.resource.uid}#access-key-{slot}",
            name=f"{f.resource.name} key {slot}",
        )
    if kind in DATA_STORE_TYPES:
        yield _member("data_stores", f)
    if "repositor" in kind.lower():
        yield _member("repositories", f)
    privilege = _privilege(f)
    if privilege is not None:
        yield _member("admins", f, detail=privilege)


def population(findings: Iterable[Finding]) -> dict[tuple[str, str, str, str], Member]:
    out: dict[tuple[str, str, str, str], Member] = {}
    for f in findings:
        for m in members_of(f):
            known = out.get(m.key)
            if known is None or (m.detail and m.detail not in known.detail):
                detail = "; ".join(d for d in (known.detail if known else "", m.detail) if d)
                out[m.key] = Member(
                    m.population, m.provider, m.account, m.uid, m.type, m.name, detail
                )
    return out


@dataclass
class Change:
    day: date
    change: str
    member: Member
    source_scan: str

    def row(self) -> dict[str, str]:
        return {
            "date": self.day.isoformat(),
            "change": self.change,
            **self.member.row(self.source_scan),
        }


@dataclass
class Populations:
    """Fed each scanned day's members (the union over its last scans), in day order."""

    first: dict[tuple[str, str, str, str], tuple[Member, str]] | None = None
    last: dict[tuple[str, str, str, str], tuple[Member, str]] | None = None
    first_day: date | None = None
    last_day: date | None = None

    def __post_init__(self) -> None:
        self.changes: list[Change] = []

    def add(
        self,
        day: date,
        members: Mapping[tuple[str, str, str, str], tuple[Member, str]],
        day_scans: str,
    ) -> None:
        """`day_scans`: the day's last scans, the source of a leaver (absent from them)."""
        if self.last is None:
            self.first, self.first_day = dict(members), day
        else:
            for key, (m, scan) in members.items():
                if key not in self.last:
                    self.changes.append(Change(day, "joined", m, scan))
            for key, (m, _) in self.last.items():
                if key not in members:
                    self.changes.append(Change(day, "left", m, day_scans))
        self.last, self.last_day = dict(members), day
