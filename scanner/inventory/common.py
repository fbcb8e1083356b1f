"""Concepts shared across providers, so one check or one cross-provider rule serves them all."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from scanner.models.inventory import Frozen

TLS_PROTOCOLS: tuple[str, ...] = ("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")
"""The names `TlsEndpoint.protocols` uses on every provider (OpenSSL's), oldest first."""


class DirectoryUser(Frozen):
    """A person as an identity provider (Okta, Azure AD, Google Workspace) knows them.

    Identity-provider inventories expose their users as `directory_users` so that
    cross-provider rules (training, orphaned access, unmanaged identities) can match people
    by email and login without knowing the provider.
    """

    uid: str = Field(description="The provider's id for the user")
    login: str
    email: str | None = None
    display_name: str | None = None
    status: str = Field(description="The provider's own status word, e.g. ACTIVE, SUSPENDED")
    active: bool = Field(description="True when the user can sign in today")
    created: datetime | None = None
    activated: datetime | None = None
    last_login: datetime | None = None
    deactivated: datetime | None = None


CONFIGURED = "configured"
"""`TlsEndpoint.source` of what a cloud API says an endpoint allows."""
PROBED = "probed"
"""`TlsEndpoint.source` of what the endpoint served to posture's TLS probe (sslyze)."""


class TlsSuite(Frozen):
    """A cipher suite an endpoint accepted, with the protocol version it was accepted under."""

    protocol: str = Field(description="As in TLS_PROTOCOLS")
    name: str = Field(description="The IANA (RFC) name, e.g. TLS_RSA_WITH_3DES_EDE_CBC_SHA")
    anonymous: bool = False


class ConfiguredTls(Frozen):
    """What a cloud API says about an endpoint that was also probed (the two may disagree)."""

    provider: str
    account: str
    uid: str
    kind: str
    policy: str | None = None
    protocols: tuple[str, ...] = ()


class TlsEndpoint(Frozen):
    """A place that terminates TLS for clients: a load balancer listener, a CDN, an API domain,
    or any HOST:PORT posture probed.

    Providers fill what they know; TLS checks read only these fields. A configured endpoint
    (source `configured`) carries the policy and the versions it allows; a probed one (source
    `probed`) carries what the endpoint accepted on the wire and the certificate it served.
    """

    uid: str
    name: str
    kind: str = Field(description="e.g. elbv2-listener, elb-listener, cloudfront, apigateway")
    region: str | None = None
    host: str | None = None
    port: int | None = None
    policy: str | None = Field(None, description="The provider's TLS policy name")
    protocols: tuple[str, ...] = Field(
        (), description="TLS versions the policy allows, named as in TLS_PROTOCOLS"
    )
    allows_plaintext: bool = Field(False, description="Serves plain HTTP without a redirect")
    certificate_expires: datetime | None = None
    certificate_ids: tuple[str, ...] = Field((), description="e.g. ACM certificate ARNs")
    listener_protocol: str | None = Field(None, description="e.g. HTTP, HTTPS, TLS, SSL")
    provider_default_certificate: bool = Field(
        False,
        description="Served on the provider's shared default certificate (e.g. "
        "*.cloudfront.net), whose security policy the provider fixes: `policy` is what the "
        "configuration says, `protocols` what is in force",
    )
    aliases: tuple[str, ...] = Field((), description="Other host names clients use, e.g. CNAMEs")
    source: str = Field(CONFIGURED, description="configured or probed")
    # What a probe sees (source `probed`); None where it was not seen.
    server_name: str | None = Field(None, description="The SNI name sent and checked against")
    accepted_suites: tuple[TlsSuite, ...] = Field((), description="Every suite accepted")
    certificate_subject: str | None = None
    certificate_not_before: datetime | None = None
    chain_trusted: bool | None = Field(
        None, description="The served chain leads to a trusted root (validity and name aside)"
    )
    chain_error: str | None = Field(None, description="Why the chain did not validate")
    hostname_matches: bool | None = Field(None, description="The certificate names server_name")
    key_type: str | None = Field(None, description="RSA, EC, Ed25519, Ed448, DSA")
    key_bits: int | None = None
    signature_hash: str | None = Field(
        None,
        description="The weakest hash signing the leaf or an intermediate sent, e.g. sha256, "
        "sha1 (a root's self-signature does not count)",
    )
    hsts_max_age: int | None = Field(
        None, description="max-age of Strict-Transport-Security; None: no header"
    )
    http_checked: bool = Field(False, description="The HTTPS response headers were read")
    plaintext_port: int | None = Field(
        None, description="The plain-HTTP port probed for a redirect (None: not probed)"
    )
    configured: tuple[ConfiguredTls, ...] = Field(
        (), description="Cloud endpoints the probe reached at this HOST:PORT"
    )

    @property
    def probed(self) -> bool:
        return self.source == PROBED


class CloudIdentity(Frozen):
    """A principal that can act in a cloud account, projected from a provider's inventory.

    Cross-provider identity rules (orphaned access, unmanaged console identities) read only
    this, so a new cloud provider joins them by adding one projection function
    (see `scanner.identity.projection`).
    """

    provider: str = Field(description="aws, gcp, ...")
    account: str = Field(description="AWS account id, GCP project id, ...")
    uid: str = Field(description="Canonical id: the ARN on AWS, the IAM member on GCP")
    name: str
    kind: str = Field("user", description="user, service_account or group")
    email: str | None = None
    login: str | None = Field(None, description="The sign-in name, e.g. the IAM user name")
    console_access: bool = False
    active_keys: tuple[str, ...] = Field((), description="Ids of active long-lived keys")
    grants: tuple[str, ...] = Field((), description="Roles or bindings held, e.g. GCP roles")
    created: datetime | None = None
    last_used: datetime | None = None

    @property
    def has_access(self) -> bool:
        """True when the identity can still do something: sign in, use a key, or hold a role."""
        return self.console_access or bool(self.active_keys) or bool(self.grants)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the identity is known by, lower-cased, for matching."""
        found = (self.uid, self.name, self.email, self.login)
        return tuple(dict.fromkeys(n.strip().lower() for n in found if n))
