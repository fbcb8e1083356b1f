"""Resource references for evidence findings: the file or entry the verdict is about."""

from __future__ import annotations

from scanner.models.findings import Resource


def evidence_file(path: str, kind: str) -> Resource:
    return Resource(uid=f"evidence://{path}", type=f"Evidence::{kind}", name=path)


def policy(policy_id: str) -> Resource:
    return Resource(uid=f"evidence://policies/{policy_id}", type="Evidence::Policy", name=policy_id)


def risk(path: str, name: str) -> Resource:
    return Resource(uid=f"evidence://{path}#{name}", type="Evidence::Risk", name=name)


def vendor(name: str) -> Resource:
    return Resource(uid=f"evidence://vendors/{name}", type="Evidence::Vendor", name=name)


def system(name: str) -> Resource:
    return Resource(uid=f"evidence://systems/{name}", type="Evidence::System", name=name)
