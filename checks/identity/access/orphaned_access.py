"""Cloud access still held by people who left: deactivated or gone from the identity provider,
or listed in the HR leavers export."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import JsonValue

from checks.identity.resources import (
    cloud_identity,
    directory_user,
    identity_evidence,
    not_evaluated,
)
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, pass_or_fail, passed
from scanner.identity.matching import LEAVERS_FILE, IdentityMatch, People, directory_names
from scanner.inventory.evidence import IDENTITY_MAP, LEAVERS
from scanner.inventory.run import CLOUD_IDENTITY_COLLECTIONS, DIRECTORY_COLLECTIONS, RunInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="identity.access.orphaned_access",
    title="Leaver or deactivated user still holds cloud access",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.2",),
    remediation="Remove the person's console password, deactivate and delete their access keys, "
    "and remove their role bindings; then tie deprovisioning to HR offboarding.",
    requires=(LEAVERS, IDENTITY_MAP, *DIRECTORY_COLLECTIONS, *CLOUD_IDENTITY_COLLECTIONS),
    description="Cloud users are matched to people by email, login and identity-map.yaml. A "
    "person counts as gone when every matching identity-provider account is inactive, when the "
    "identity map names a person the identity provider does not know, or when hr/leavers.csv "
    "lists them with a leaving date that has passed.",
)


def _access(match: IdentityMatch) -> str:
    ident = match.identity
    held = []
    if ident.console_access and ident.provider == "aws":
        held.append("a console password")
    elif ident.provider == "github":
        held.append("membership of the GitHub organisation")
    elif ident.console_access and not ident.grants:
        held.append("console access")
    if ident.active_keys:
        held.append(f"{len(ident.active_keys)} active access key(s)")
    if ident.grants:
        held.append(f"{len(ident.grants)} role binding(s)")
    return ", ".join(held)


def _gone(match: IdentityMatch, people: People, ctx: CheckContext) -> str | None:
    """Why the person behind the identity should no longer have access, or None."""
    leaver = people.leaver_for(match.person_keys)
    if leaver is not None and leaver.left_on <= ctx.now.date():
        return f"left on {leaver.left_on} ({LEAVERS_FILE} line {leaver.line})"
    if match.entries and not match.active:
        return "deactivated in the identity provider: " + "; ".join(
            e.describe() for e in match.entries
        )
    if match.mapped_person and not match.entries and people.has_directory:
        return f"mapped to {match.mapped_person} ({match.via}), who is not in the identity provider"
    return None


def _directory_leavers(people: People, ctx: CheckContext) -> Iterator[CheckResult]:
    """Leavers whose identity-provider account is still active keep their SSO access."""
    today = ctx.now.date()
    for entry in people.entries:
        leaver = people.leaver_for(people.keys_of(entry))
        if leaver is None or leaver.left_on > today:
            continue
        evidence: dict[str, JsonValue] = {
            "directory": entry.provider,
            "status": entry.user.status,
            "left_on": leaver.left_on.isoformat(),
            "leavers_line": leaver.line,
        }
        yield pass_or_fail(
            directory_user(entry),
            not entry.user.active,
            f"{entry.user.login} left on {leaver.left_on} and is deactivated in "
            f"{entry.provider} ({entry.user.status}).",
            f"{entry.user.login} left on {leaver.left_on} ({LEAVERS_FILE} line "
            f"{leaver.line}) but is still active in {entry.provider}.",
            evidence=evidence,
            account=entry.account,
        )


def evaluate(run: RunInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    people = People.from_run(run, ctx.config.evidence.match_email_local_part)
    if not people.has_directory and not people.leavers:
        yield not_evaluated(
            META.id,
            f"{directory_names(run)} and no HR leavers list ({LEAVERS_FILE}) in this scan; "
            "nothing says who has left.",
        )
        return
    yield from _directory_leavers(people, ctx)
    if not run.cloud_accounts:
        yield not_evaluated(
            META.id, "cloud access not evaluated: no cloud provider (aws, gcp) in this scan."
        )
        return
    for identity in run.cloud_identities:
        if identity.kind != "user":
            continue
        match = people.match(identity)
        reason = _gone(match, people, ctx)
        if reason is None and not match.matched and people.has_directory:
            continue  # the identity provider does not know them: see unmanaged_console_identity
        evidence = {
            **identity_evidence(identity),
            "matched_by": match.via,
            "reason": reason,
        }
        resource = cloud_identity(identity)
        if reason is None and not people.has_directory:
            yield passed(
                resource,
                f"{identity.name} ({identity.provider} {identity.account}) is not listed as a "
                f"leaver in {LEAVERS_FILE} (no identity provider in this scan).",
                evidence=evidence,
                account=identity.account,
            )
        elif reason is None:
            yield passed(
                resource,
                f"{identity.name} ({identity.provider} {identity.account}) belongs to an active "
                f"user (matched by {match.via}).",
                evidence=evidence,
                account=identity.account,
            )
        elif identity.has_access:
            yield fail(
                resource,
                f"{identity.name} ({identity.provider} {identity.account}) still has "
                f"{_access(match)}, but the person {reason}.",
                evidence=evidence,
                account=identity.account,
            )
        else:
            yield passed(
                resource,
                f"{identity.name} has no usable credentials left; the person {reason}.",
                evidence=evidence,
                account=identity.account,
            )


CHECK = Check(META, RunInventory, evaluate)
