"""Runs checks over inventories and turns their results into findings."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence

from scanner.check import AnyCheck, CheckContext, CheckResult, error
from scanner.fingerprint import fingerprint
from scanner.models.enums import Status
from scanner.models.findings import Finding, Resource
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.redact import redact

log = logging.getLogger(__name__)


def _missing_data_result(inv: Inventory, o: CollectionOutcome) -> CheckResult:
    need = f"; needs {o.missing}" if o.missing else ""
    where = f" in {o.scope}" if o.scope else ""
    detail = f": {o.message}" if o.message else ""
    return error(
        Resource(uid=f"{inv.account}/{o.collection}", type="collection", name=o.collection),
        f"Not evaluated: {o.collection} could not be collected{where} "
        f"({o.outcome.value}{need}){detail}.",
        region=o.scope,
        sub_key=o.scope,
        evidence={"collection": o.collection, "outcome": o.outcome.value, "missing": o.missing},
    )


def _trustworthy(result: CheckResult, failures: list[CollectionOutcome]) -> bool:
    """A verdict is only believed when none of the data it could rest on is missing.

    Passes obviously; fails too, because many fails are conclusions from absence ("no trail
    logs all regions", "no active log stream") that missing data would make false. A verdict
    about a region whose data did arrive still stands, and so does one that says it rests only
    on collections that arrived. A check's own `error` results stay.
    """
    if result.status not in (Status.PASS, Status.FAIL):
        return True
    relevant = [o for o in failures if not result.rests_on or o.collection in result.rests_on]
    if not relevant:
        return True
    failed_scopes = {o.scope for o in relevant}
    if None in failed_scopes or result.region is None:
        return False
    return result.region not in failed_scopes


def evaluate_check(check: AnyCheck, inv: Inventory, ctx: CheckContext) -> list[CheckResult]:
    failures = inv.failures(check.meta.requires)
    results = [_missing_data_result(inv, o) for o in failures]
    try:
        produced = list(check.evaluate(inv, ctx))
    except Exception as exc:
        log.exception("check %s failed on %s", check.id, inv.account)
        produced = [
            error(
                Resource(uid=f"{inv.account}/{check.id}", type="check", name=check.id),
                f"Not evaluated: the check raised {type(exc).__name__}; please report this.",
            )
        ]
    results.extend(r for r in produced if _trustworthy(r, failures))
    return results


def to_finding(check: AnyCheck, inv: Inventory, result: CheckResult, ctx: CheckContext) -> Finding:
    account = result.account or inv.account
    meta = check.meta
    return Finding(
        fingerprint=fingerprint(
            inv.provider, account, meta.id, result.resource.uid, result.sub_key
        ),
        check_id=meta.id,
        title=meta.title,
        status=result.status,
        severity=meta.severity,
        category=meta.category,
        soc2=meta.soc2,
        provider=inv.provider,
        account=account,
        region=result.region,
        resource=result.resource,
        message=result.message,
        evidence={str(k): redact(v, str(k)) for k, v in result.evidence.items()},
        remediation=meta.remediation,
        first_seen=ctx.now,
        last_seen=ctx.now,
    )


def applicable(check: AnyCheck, inv: Inventory) -> bool:
    return isinstance(inv, check.inventory_type)


def run_checks(
    inventories: Iterable[Inventory], checks: Sequence[AnyCheck], ctx: CheckContext
) -> Iterator[Finding]:
    """Yields findings one by one, so outputs can stream them."""
    for inv in inventories:
        for check in checks:
            if not applicable(check, inv):
                continue
            for result in evaluate_check(check, inv, ctx):
                yield to_finding(check, inv, result, ctx)
