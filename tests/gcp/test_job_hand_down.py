"""What the ancestors job of a distributed run hands its project jobs: every (collection,
ancestor) outcome and value survives the trip through JSON; one it has nothing for is an error
naming the job, never an empty pass."""

from __future__ import annotations

import json

from providers.gcp import scopes
from providers.gcp.collections import BY_NAME
from scanner.collection import Collected
from scanner.inventory import gcp as inv
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome

ORG, FOLDER = "organizations/1", "folders/2"
INHERITED = [BY_NAME[inv.INHERITED_AUDIT_CONFIGS], BY_NAME[inv.INHERITED_SINKS]]


def ancestors_job_collected() -> Collected:
    audit = inv.InheritedAuditConfig(
        source=ORG,
        config=inv.AuditConfig(
            service="allServices",
            audit_log_configs=(inv.AuditLogConfig(log_type="DATA_READ"),),
        ),
    )
    sink = inv.InheritedSink(
        source=ORG,
        sink=inv.LogSink(name="all", destination="storage.googleapis.com/archive"),
    )
    collected = Collected()
    collected.values[(inv.INHERITED_AUDIT_CONFIGS, ORG)] = (audit,)
    collected.values[(inv.INHERITED_SINKS, ORG)] = (sink,)
    collected.values[(inv.INHERITED_AUDIT_CONFIGS, FOLDER)] = ()
    collected.outcomes += [
        CollectionOutcome(collection=inv.INHERITED_AUDIT_CONFIGS, scope=ORG),
        CollectionOutcome(collection=inv.INHERITED_SINKS, scope=ORG),
        CollectionOutcome(collection=inv.INHERITED_AUDIT_CONFIGS, scope=FOLDER),
        CollectionOutcome(
            collection=inv.INHERITED_SINKS,
            scope=FOLDER,
            outcome=Outcome.ACCESS_DENIED,
            missing="logging.sinks.list",
            message="denied",
        ),
    ]
    return collected


def test_values_and_outcomes_arrive_as_they_were_collected() -> None:
    sent = ancestors_job_collected()
    handed = json.loads(json.dumps(scopes.hand_down(sent, INHERITED, [ORG, FOLDER])))
    got = Collected()
    scopes.receive(got, INHERITED, (FOLDER, ORG), {ORG: handed}, ORG)
    assert got.values == sent.values
    assert sorted(got.outcomes, key=str) == sorted(sent.outcomes, key=str)


def test_an_ancestor_without_a_hand_down_is_an_error_naming_the_job() -> None:
    got = Collected()
    scopes.receive(got, INHERITED, (ORG,), {}, ORG)
    assert got.values == {}
    assert {(o.collection, o.scope, o.outcome) for o in got.outcomes} == {
        (inv.INHERITED_AUDIT_CONFIGS, ORG, Outcome.ERROR),
        (inv.INHERITED_SINKS, ORG, Outcome.ERROR),
    }
    assert all(f"reading {ORG} did not finish" in o.message for o in got.outcomes)
