"""AWS in a distributed run: one job per organization member account."""

from __future__ import annotations

from scanner.config import PostureConfig
from scanner.plugin import PlannedScope

FEATURES_DETAIL = "organizations_features"
"""The job detail that carries the organization's centralised root access features."""


def list_scopes(config: PostureConfig) -> list[PlannedScope]:
    """(account id, name) of every member the organization scan would cover, in its order;
    without --org-role the caller's own account is the one scope ("*")."""
    if not config.aws.org_role:
        return [PlannedScope("*")]
    from providers.aws.adapter import readable_organization_features
    from providers.aws.organization import member_accounts
    from providers.aws.session import AwsClients, CallCounter

    clients = AwsClients(config.aws, CallCounter())
    members = member_accounts(clients, config.aws.accounts)
    # Read once for the run, as the in-process scan does, and handed to every member's job
    # (a job whose detail lacks them reads them itself, as a member does in-process).
    features = readable_organization_features(clients)
    detail = {FEATURES_DETAIL: features.model_dump(mode="json")} if features else None
    return [PlannedScope(m.id, m.name, detail) for m in members]


def narrow(config: PostureConfig, scope: str) -> PostureConfig:
    """The config of one job: the organization scan limited to this member account."""
    if scope == "*":
        return config
    aws = config.aws.model_copy(update={"accounts": (scope,)})
    return config.model_copy(update={"aws": aws})
