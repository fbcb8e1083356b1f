"""No enabled log sink exporting every log entry of the project."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import project
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.gcp import INHERITED_SINKS, LOG_SINKS, GcpInventory, LogSink
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.logging.no_sink_for_all_logs",
    title="No log sink exports all logs",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation=(
        "Create a sink with an empty filter and no exclusions to a central, retained "
        "destination (or an aggregated organization sink with includeChildren)."
    ),
    requires=(LOG_SINKS, INHERITED_SINKS),
    description="Aggregated sinks (includeChildren) on folders and the organization count too.",
)


def exports_everything(sink: LogSink) -> bool:
    return not sink.disabled and not sink.filter.strip() and not sink.exclusions


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if not inventory.collected(LOG_SINKS):
        return  # nothing known about the project's own sinks: the engine reports the error
    # If the folders or organization could not be read the engine adds an error beside this
    # verdict, and any pass is discarded: a failure is then "none that we could see".
    inherited_read = not inventory.failures([INHERITED_SINKS])
    complete = sorted(s.name for s in inventory.log_sinks if exports_everything(s))
    complete += sorted(
        f"{i.source}/sinks/{i.sink.name}"
        for i in inventory.inherited_sinks
        if exports_everything(i.sink)
    )
    evidence = {
        "sinks": [s.name for s in inventory.log_sinks],
        "inherited_sinks": [f"{i.source}/sinks/{i.sink.name}" for i in inventory.inherited_sinks],
        "sinks_exporting_all_logs": complete,
        "inherited_sinks_read": inherited_read,
    }
    if complete:
        yield passed(
            project(inventory),
            f"Sink {complete[0]} exports all logs of {inventory.account}.",
            evidence=evidence,
        )
    else:
        yield fail(
            project(inventory),
            f"No enabled sink exports all logs of project {inventory.account}; add one with an "
            "empty filter to a retained destination.",
            evidence=evidence,
        )


CHECK = Check(META, GcpInventory, evaluate)
