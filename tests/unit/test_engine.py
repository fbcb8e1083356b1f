"""The engine: missing data is never a pass, a crashing check is an error, evidence is redacted."""

from __future__ import annotations

from collections.abc import Iterator

from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.engine import evaluate_check, run_checks
from scanner.models.enums import Category, Outcome, Severity, Status
from scanner.models.findings import Resource
from scanner.models.inventory import CollectionOutcome, Inventory

META = CheckMeta(
    id="test.thing.is_bad",
    title="Thing is bad",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation="Fix it.",
    requires=("test.things",),
)


def res(name: str) -> Resource:
    return Resource(uid=f"uid:{name}", type="Thing", name=name)


def regional(inv: Inventory, ctx: CheckContext) -> Iterator[CheckResult]:
    yield passed(res("east"), "ok", region="us-east-1")
    yield fail(res("east-bad"), "bad", region="us-east-1")
    yield passed(res("west"), "ok", region="eu-west-1")
    yield fail(res("west-bad"), "bad", region="eu-west-1", evidence={"client_secret": "hunter2"})
    yield passed(res("account-wide"), "ok")


CHECK = Check(META, Inventory, regional)


def inventory(*outcomes: CollectionOutcome) -> Inventory:
    return Inventory(provider="test", account="acct", outcomes=outcomes)


def test_failed_scope_turns_into_error_and_drops_verdicts_resting_on_it(ctx: CheckContext) -> None:
    denied = CollectionOutcome(
        collection="test.things",
        scope="eu-west-1",
        outcome=Outcome.ACCESS_DENIED,
        missing="things:List",
    )
    inv = inventory(CollectionOutcome(collection="test.things", scope="us-east-1"), denied)
    results = evaluate_check(CHECK, inv, ctx)
    got = {(r.status, r.resource.name) for r in results}
    # eu-west-1's verdicts and the account-wide one rest on missing data; us-east-1's do not.
    assert got == {
        (Status.ERROR, "test.things"),
        (Status.PASS, "east"),
        (Status.FAIL, "east-bad"),
    }
    error = next(r for r in results if r.status is Status.ERROR)
    assert "things:List" in error.message and error.region == "eu-west-1"


def test_global_failure_leaves_no_verdict(ctx: CheckContext) -> None:
    """A fail concluded from absence ("nothing logs this") is as false as a pass here."""
    inv = inventory(CollectionOutcome(collection="test.things", outcome=Outcome.ERROR))
    statuses = {r.status for r in evaluate_check(CHECK, inv, ctx)}
    assert statuses == {Status.ERROR}


def test_a_crashing_check_is_an_error_not_a_crash(ctx: CheckContext) -> None:
    def broken(inv: Inventory, ctx: CheckContext) -> Iterator[CheckResult]:
        raise KeyError("surprise")
        yield  # pragma: no cover

    results = evaluate_check(Check(META, Inventory, broken), inventory(), ctx)
    assert [r.status for r in results] == [Status.ERROR]


def test_findings_carry_the_contract_and_redacted_evidence(ctx: CheckContext) -> None:
    findings = list(run_checks([inventory()], [CHECK], ctx))
    bad = next(f for f in findings if f.resource.name == "west-bad")
    assert bad.evidence == {"client_secret": "***redacted***"}
    assert bad.soc2 == ("CC6.1",) and bad.severity is Severity.HIGH
    assert bad.provider == "test" and bad.account == "acct" and bad.region == "eu-west-1"
    assert bad.first_seen == ctx.now and len(bad.fingerprint) == 32
    assert len({f.fingerprint for f in findings}) == len(findings)


def test_checks_only_see_their_inventory_type(ctx: CheckContext) -> None:
    class Other(Inventory):
        pass

    other_check = Check(META, Other, regional)
    assert list(run_checks([inventory()], [other_check], ctx)) == []
