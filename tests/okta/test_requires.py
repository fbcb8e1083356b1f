"""A check declares every collection it reads: its findings do not depend on what else ran.

A collection no check declares is never read, so a check that reads one without declaring it
sees an empty field whenever it runs alone (raw zone ids for zone names, user ids for logins).
"""

from __future__ import annotations

import json
from typing import Any

from checks.okta import CHECKS as OKTA_CHECKS
from checks.okta.api_tokens import not_network_restricted
from checks.okta.security import threat_insight_not_blocking
from checks.registry import all_checks, select_checks
from fixtures import load
from providers.demo.fakes.okta import FakeOktaOrg
from providers.okta.collections import BY_NAME
from scanner.config import PostureConfig
from scanner.config.okta import OktaConfig, OktaOrg
from scanner.engine import evaluate_check
from scanner.inventory import okta as inv
from scanner.scan import ScanPlan, required_collections, run_scan
from tests.okta.builders import ctx
from tests.okta.conftest import TOKEN_ENV
from tests.okta.test_collect import collect

API_TOKEN_CHECKS = sorted(c.id for c in OKTA_CHECKS if c.id.startswith("okta.api_tokens."))
ZONE_NAMES = {z["id"]: z["name"] for z in load("okta/acme/zones.json")}

Seen = dict[tuple[str, str], tuple[str, str, str]]


def scan(fake: FakeOktaOrg, *include: str) -> Seen:
    org = OktaOrg(org_url=fake.url, token_env=TOKEN_ENV)
    config = PostureConfig(okta=OktaConfig(orgs=(org,)))
    checks = select_checks(all_checks(), ["okta"], include)
    doc = run_scan(ScanPlan(providers=("okta",), checks=checks, config=config))
    assert not doc.scan.partial, doc.scan.errors
    return {
        (f.check_id, f.resource.uid): (
            f.status.value,
            f.message,
            json.dumps(f.evidence, sort_keys=True, default=str),
        )
        for f in doc.findings
    }


def api_token_findings(seen: Seen) -> Seen:
    return {k: v for k, v in seen.items() if k[0].startswith("okta.api_tokens.")}


def test_api_token_checks_find_the_same_alone_as_in_a_full_scan(fake_org: FakeOktaOrg) -> None:
    full = api_token_findings(scan(fake_org))
    assert full
    assert api_token_findings(scan(fake_org, "okta.api_tokens.*")) == full
    for check_id in API_TOKEN_CHECKS:
        alone = scan(fake_org, check_id)
        assert alone == {k: v for k, v in full.items() if k[0] == check_id}, check_id


def test_every_check_reads_only_what_it_requires(fake_org: FakeOktaOrg) -> None:
    """Each check on the full inventory, and on one holding only its required collections."""
    everything = collect(fake_org, required_collections(OKTA_CHECKS))
    assert all(o.ok for o in everything.outcomes), everything.errors
    for check in OKTA_CHECKS:
        kept = {f for name in check.meta.reads for f in BY_NAME[name].fields}
        cleared: dict[str, Any] = {
            name: field.default
            for name, field in inv.OktaInventory.model_fields.items()
            if any(name in c.fields for c in BY_NAME.values()) and name not in kept
        }
        outcomes = tuple(o for o in everything.outcomes if o.collection in check.meta.reads)
        narrowed = everything.model_copy(update={**cleared, "outcomes": outcomes})
        assert evaluate_check(check, narrowed, ctx()) == evaluate_check(check, everything, ctx()), (
            check.id
        )


def test_network_zone_checks_name_the_zones(fake_org: FakeOktaOrg) -> None:
    for check in (not_network_restricted.CHECK, threat_insight_not_blocking.CHECK):
        assert inv.NETWORK_ZONES in check.meta.reads
    seen = scan(fake_org, not_network_restricted.CHECK.id, threat_insight_not_blocking.CHECK.id)
    zones: list[str] = []
    for (check_id, _), (_, message, evidence) in seen.items():
        listed = json.loads(evidence).get(
            "allowed_zones" if check_id == not_network_restricted.CHECK.id else "excluded_zones"
        )
        zones += listed
        assert not any(zone_id in message for zone_id in ZONE_NAMES), message
    assert zones and set(zones) <= set(ZONE_NAMES.values())
    assert "Corp network" in zones
