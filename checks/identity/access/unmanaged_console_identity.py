"""Console users in a cloud account who are not in the identity provider at all."""

from __future__ import annotations

from collections.abc import Iterator

from checks.identity.resources import cloud_identity, identity_evidence, not_evaluated
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.identity.matching import People
from scanner.inventory.evidence import IDENTITY_MAP, LEAVERS
from scanner.inventory.run import CLOUD_IDENTITY_COLLECTIONS, DIRECTORY_COLLECTIONS, RunInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="identity.access.unmanaged_console_identity",
    title="Cloud console identity not managed by the identity provider",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.2",),
    remediation="Move the person to SSO through the identity provider and remove the local "
    "console login; if the account is legitimate, map it to its owner in identity-map.yaml.",
    requires=(IDENTITY_MAP, *DIRECTORY_COLLECTIONS, *CLOUD_IDENTITY_COLLECTIONS),
    # Leavers only decide which check reports a leftover login (orphaned_access does).
    optional=(LEAVERS,),
    description="Console identities (AWS IAM users with a password, GCP user members, GitHub "
    "organisation members) that match "
    "no identity-provider user by email, login or identity-map.yaml escape onboarding and "
    "offboarding. People in hr/leavers.csv are left to identity.access.orphaned_access.",
)


def evaluate(run: RunInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    people = People.from_run(run, ctx.config.evidence.match_email_local_part)
    if not run.cloud_accounts:
        yield not_evaluated(META.id, "no cloud provider (aws, gcp) in this scan.")
        return
    if not people.has_directory:
        yield not_evaluated(
            META.id,
            "no identity provider in this scan; unmanaged identities are those the identity "
            "provider does not know (add --provider okta or azuread).",
        )
        return
    for identity in run.cloud_identities:
        if identity.kind != "user" or not identity.console_access:
            continue
        match = people.match(identity)
        leaver = people.leaver_for(match.person_keys)
        if not match.matched and leaver is not None and leaver.left_on <= ctx.now.date():
            continue  # a leaver's leftover access: orphaned_access reports it
        evidence = {**identity_evidence(identity), "matched_by": match.via}
        resource = cloud_identity(identity)
        owner = ", ".join(e.user.login for e in match.entries)
        unlinked = (
            f" GitHub shows no email for {identity.name}: link the login to its owner in "
            "identity-map.yaml (identities: github: [login])."
            if identity.provider == "github" and not identity.email
            else ""
        )
        yield pass_or_fail(
            resource,
            match.matched,
            f"{identity.name} ({identity.provider} {identity.account}) belongs to {owner} "
            f"(matched by {match.via}).",
            f"{identity.name} ({identity.provider} {identity.account}) can sign in to the "
            f"console but matches no user of the identity provider.{unlinked}",
            evidence=evidence,
            account=identity.account,
        )


CHECK = Check(META, RunInventory, evaluate)
