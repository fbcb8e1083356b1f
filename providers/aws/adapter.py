"""The AWS provider adapter: identity, regions, concurrent collection, inventory."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConfigParseError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    SSOTokenLoadError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)
from botocore.parsers import ResponseParserError

from providers.aws.collections import COLLECTIONS
from providers.aws.collectors import iam
from providers.aws.errors import (
    AWS_CALL_ERRORS,
    TOKEN_REJECTED_CODES,
    error_code,
    outcome_for,
    token_rejected_reason,
)
from providers.aws.organization import MemberAccount, assume_role_credentials, member_accounts
from providers.aws.runner import AwsAccount, run_collections
from providers.aws.scopes import FEATURES_DETAIL
from providers.aws.session import AwsClients, CallCounter, check_endpoint_environment
from scanner.collection import Collected, CollectionFailedError
from scanner.config import PostureConfig
from scanner.errors import ConfigError, CredentialsError, UsageError
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import identity as inv
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.providers import CollectRequest

log = logging.getLogger(__name__)

REGIONS = "aws.ec2.regions"
REGIONS_ACTIONS = ("ec2:DescribeRegions",)
ExecutorFactory = Callable[[int], Executor]


def _thread_pool(workers: int) -> Executor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="posture-aws")


class AwsProvider:
    def __init__(
        self,
        config: PostureConfig,
        executor_factory: ExecutorFactory = _thread_pool,
        counter: CallCounter | None = None,
    ) -> None:
        self.config = config.aws
        self.executor_factory = executor_factory
        self.counter = counter or CallCounter()

    def _clients(self) -> AwsClients:
        check_endpoint_environment()
        try:
            return AwsClients(self.config, self.counter)
        except ProfileNotFound as exc:
            profile = exc.kwargs.get("profile") or self.config.profile
            raise CredentialsError(f"AWS profile {profile!r} not found") from None
        except ConfigParseError as exc:
            path = exc.kwargs.get("path") or "the AWS config file"
            raise ConfigError(
                f"cannot parse {path} (AWS_CONFIG_FILE): not a valid INI file"
            ) from None

    def _identity(self, clients: AwsClients) -> dict[str, Any]:
        try:
            identity: dict[str, Any] = clients.client("sts").get_caller_identity()
        except (NoCredentialsError, PartialCredentialsError):
            raise CredentialsError(
                "no AWS credentials found: set AWS_PROFILE (or --profile) to a profile in "
                "~/.aws/config, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with "
                "AWS_SESSION_TOKEN for temporary keys), or run `aws sso login --profile NAME`, "
                "or run where an instance or task role is attached"
            ) from None
        except (SSOTokenLoadError, UnauthorizedSSOTokenError, TokenRetrievalError):
            raise CredentialsError("the AWS SSO session has expired: run `aws sso login`") from None
        except NoRegionError:
            raise UsageError("no AWS region configured: pass --region") from None
        except ClientError as exc:
            code = error_code(exc)
            if code in TOKEN_REJECTED_CODES:
                region = clients.default_region
                raise CredentialsError(
                    f"AWS rejected the credentials ({code} in {region}): the access key is "
                    f"unknown, or {token_rejected_reason(region)}"
                ) from None
            raise CredentialsError(f"AWS rejected the credentials ({code or 'error'})") from None
        except (BotoCoreError, ResponseParserError) as exc:
            raise CredentialsError(
                f"cannot reach AWS STS ({type(exc).__name__}): check the network, a proxy "
                "(HTTPS_PROXY) or AWS_ENDPOINT_URL"
            ) from None
        return identity

    def _regions(self, clients: AwsClients) -> tuple[tuple[str, ...], list[CollectionOutcome]]:
        known = set(clients.available_regions())
        if self.config.regions:
            unknown = [r for r in self.config.regions if r not in known]
            if unknown:
                raise UsageError(f"unknown AWS region {unknown[0]!r}")
            return tuple(dict.fromkeys(self.config.regions)), []
        try:
            response = clients.client("ec2").describe_regions(AllRegions=False)
        except AWS_CALL_ERRORS as exc:
            outcome = outcome_for(REGIONS, None, exc, "ec2:DescribeRegions")
            return (clients.default_region,), [outcome]
        regions = sorted(
            r["RegionName"]
            for r in response.get("Regions", [])
            if r.get("OptInStatus", "opt-in-not-required") != "not-opted-in"
        )
        return tuple(regions) or (clients.default_region,), [CollectionOutcome(collection=REGIONS)]

    def collect(self, request: CollectRequest) -> list[Inventory]:
        clients = self._clients()
        identity = self._identity(clients)
        partition = str(identity["Arn"]).split(":")[1]
        if not self.config.org_role:
            account = AwsAccount(id=str(identity["Account"]), partition=partition)
            return [self._collect_account(clients, account, request)]
        members = member_accounts(clients, self.config.accounts)
        features = _organization_features(clients, request)
        with ThreadPoolExecutor(self.config.max_parallel_accounts) as pool:
            futures = [
                pool.submit(self._collect_member, clients, partition, member, request, features)
                for member in members
            ]
            return [f.result() for f in futures]

    def _collect_member(
        self,
        clients: AwsClients,
        partition: str,
        member: MemberAccount,
        request: CollectRequest,
        features: inv.OrganizationsFeatures | None = None,
    ) -> Inventory:
        account = AwsAccount(
            id=member.id, partition=partition, name=member.name, organizations_features=features
        )
        role = self.config.org_role or ""
        try:
            credentials = assume_role_credentials(clients, partition, member.id, role)
        except AWS_CALL_ERRORS as exc:
            # The account is reported, with every collection it would have had as an error.
            failed = outcome_for("aws.sts.assume_role", None, exc, "sts:AssumeRole")
            message = f"could not assume role {role} in account {member.id}: {failed.message}"
            outcomes = [
                failed.model_copy(update={"collection": c, "message": message})
                for c in sorted(request.collections)
            ]
            return build_inventory(account, (), Collected(), outcomes)
        member_clients = AwsClients(
            self.config,
            self.counter,
            credentials=credentials,
            region=clients.default_region,
            refresh=lambda: assume_role_credentials(clients, partition, member.id, role),
        )
        return self._collect_account(member_clients, account, request)

    def _collect_account(
        self, clients: AwsClients, account: AwsAccount, request: CollectRequest
    ) -> AwsInventory:
        regions, region_outcomes = self._regions(clients)
        wanted = [c for c in COLLECTIONS if c.name in request.collections]
        executor = self.executor_factory(self.config.max_workers)
        try:
            collected = run_collections(
                wanted,
                regions,
                clients,
                account,
                executor,
                request.progress,
                deadline_seconds=self.config.scan_timeout_seconds,
            )
        finally:
            # Past the deadline, calls still running are abandoned rather than awaited.
            executor.shutdown(wait=False, cancel_futures=True)
        _log_throttling(clients, account)
        return build_inventory(account, regions, collected, region_outcomes)


FEATURES_UNREADABLE: tuple[type[Exception], ...] = (*AWS_CALL_ERRORS, CollectionFailedError)


def _organization_features(
    clients: AwsClients, request: CollectRequest
) -> inv.OrganizationsFeatures | None:
    """Centralised root access, read once with the caller's (management) credentials for every
    member; None when not wanted or not readable here (each member then records its own)."""
    if inv.ORGANIZATIONS_FEATURES not in request.collections:
        return None
    planned = request.job.detail.get(FEATURES_DETAIL) if request.job else None
    if planned is not None:
        return inv.OrganizationsFeatures.model_validate(planned)
    return readable_organization_features(clients)


def readable_organization_features(clients: AwsClients) -> inv.OrganizationsFeatures | None:
    """The features read with the caller's credentials; None when they cannot be read here."""
    try:
        return iam.read_organizations_features(clients, clients.default_region)
    except FEATURES_UNREADABLE as exc:
        log.info("centralised root access not readable from the caller's account: %s", exc)
        return None


def _log_throttling(clients: AwsClients, account: AwsAccount) -> None:
    if clients.slots is None:
        return
    for (service, region), lowest in sorted(clients.slots.pushed_back().items()):
        log.info(
            "account %s: %s in %s throttled; in-flight limit went down to %d",
            account.id,
            service,
            region,
            lowest,
        )


def build_inventory(
    account: AwsAccount,
    regions: tuple[str, ...],
    collected: Collected,
    extra_outcomes: list[CollectionOutcome],
) -> AwsInventory:
    fields = collected.fields()
    report: tuple[inv.CredentialReportUser, ...] = fields.pop("credential_report", ())
    return AwsInventory(
        account=account.id,
        account_name=account.name,
        partition=account.partition,
        scopes=regions,
        outcomes=(*extra_outcomes, *collected.outcomes),
        credential_report=tuple(u for u in report if u.name != inv.ROOT_REPORT_ROW),
        root_report_row=next((u for u in report if u.name == inv.ROOT_REPORT_ROW), None),
        **fields,
    )
