"""AWS in a distributed run: one job per organization member account."""

from __future__ import annotations

from scanner.config import PostureConfig
from scanner.plugin import PlannedScope


def list_scopes(config: PostureConfig) -> list[PlannedScope]:
    """(account id, name) of every member the organization scan would cover, in its order;
    without --org-role the caller's own account is the one scope ("*")."""
    if not config.aws.org_role:
        return [PlannedScope("*")]
    from providers.aws.organization import member_accounts
    from providers.aws.session import AwsClients, CallCounter

    clients = AwsClients(config.aws, CallCounter())
    return [PlannedScope(m.id, m.name) for m in member_accounts(clients, config.aws.accounts)]


def narrow(config: PostureConfig, scope: str) -> PostureConfig:
    """The config of one job: the organization scan limited to this member account."""
    if scope == "*":
        return config
    aws = config.aws.model_copy(update={"accounts": (scope,)})
    return config.model_copy(update={"aws": aws})
