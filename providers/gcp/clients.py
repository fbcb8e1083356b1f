"""The one GCP client factory: credentials, endpoints, the retry policy and pagination.

Every API but Resource Manager is reached through a google-api-python-client discovery
client built from the bundled (static) discovery document, so building one never touches
the network. Resource Manager uses its GAPIC client over the REST transport.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import google.auth
import google_auth_httplib2
import httplib2
import requests
from google.api_core.client_options import ClientOptions
from google.auth import credentials as auth_credentials
from google.auth.exceptions import DefaultCredentialsError, GoogleAuthError
from google.cloud import resourcemanager_v3
from google.oauth2 import service_account
from googleapiclient import discovery
from googleapiclient.discovery_cache import get_static_doc

from providers.gcp.quota import SharedQuota, no_wait
from providers.gcp.retry import retry_policy
from providers.gcp.slots import RequestSlots, SlottedHttp, mount_slot
from scanner.config.gcp import GCP_APIS, GcpConfig
from scanner.endpoints import validate_endpoint
from scanner.errors import CredentialsError, UsageError

ADC_FILE_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
QUOTA_PROJECT_ENV = "GOOGLE_CLOUD_QUOTA_PROJECT"

ENDPOINT_ENV = "POSTURE_GCP_ENDPOINT"
STORAGE_EMULATOR_ENV = "STORAGE_EMULATOR_HOST"
CLOUD_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
DIRECTORY_SCOPE = "https://www.googleapis.com/auth/admin.directory.user.readonly"

# API name (as in https://<api>.googleapis.com and the `gcp.endpoints` keys) -> version used.
DISCOVERY_APIS: Mapping[str, str] = {
    "iam": "v1",
    "storage": "v1",
    "cloudkms": "v1",
    "logging": "v2",
    "compute": "v1",
    "sqladmin": "v1",
    "admin": "directory_v1",
    "cloudidentity": "v1",
}
KNOWN_APIS = GCP_APIS
GapicClient = TypeVar(
    "GapicClient",
    resourcemanager_v3.ProjectsClient,
    resourcemanager_v3.OrganizationsClient,
    resourcemanager_v3.FoldersClient,
)

# The discovery client logs every 403 itself; the adapter reports each failed collection once.
logging.getLogger("googleapiclient.http").setLevel(logging.ERROR)


def _document(api: str) -> dict[str, Any]:
    text = get_static_doc(api, DISCOVERY_APIS[api])
    if text is None:  # pragma: no cover - the documents ship with google-api-python-client
        raise UsageError(f"google-api-python-client lacks the {api} discovery document")
    document: dict[str, Any] = json.loads(text)
    return document


class GcpClients:
    """Creates and caches clients; safe to share between the collection threads.

    httplib2 connections are not thread-safe, so each thread executes requests on its own
    authorised connection while the (immutable) discovery service objects are shared.
    Every request holds one of its API's `slots` while on the wire, not while retrying.
    """

    def __init__(self, config: GcpConfig, environ: Mapping[str, str] | None = None) -> None:
        self._config = config
        env = os.environ if environ is None else environ
        self._environ = env
        self._base = env.get(ENDPOINT_ENV) or None
        self._insecure = {api: self._check_endpoint(api) for api in KNOWN_APIS}
        self.retry = retry_policy(config.retry_initial_seconds, config.retry_deadline_seconds)
        self.slots = RequestSlots(KNOWN_APIS, config.max_requests_in_flight)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._services: dict[str, Any] = {}
        self._credentials: auth_credentials.Credentials | None = None
        self.default_project: str | None = None
        self.quota: SharedQuota | None = None
        """Set in a brokered run: client-based APIs wait for room in the workers' shared
        quota before each request."""

    # -- endpoints and credentials ----------------------------------------------------------

    def endpoint(self, api: str) -> str | None:
        """The base URL standing for https://<api>.googleapis.com, None for the real host."""
        if api in self._config.endpoints:
            return self._config.endpoints[api].rstrip("/")
        if self._base:
            return f"{self._base.rstrip('/')}/{api}"
        # The Cloud Storage clients' own convention, below the explicit settings as there.
        emulator = self._environ.get(STORAGE_EMULATOR_ENV) if api == "storage" else None
        return emulator.rstrip("/") if emulator else None

    def _check_endpoint(self, api: str) -> bool:
        url = self.endpoint(api)
        if url is None:
            return False
        return validate_endpoint(url, f"GCP endpoint for {api}", self._environ)

    def load_credentials(self) -> None:
        """Fails early (CredentialsError, exit 2) when an API needs credentials we cannot get."""
        real = sorted(api for api, insecure in self._insecure.items() if not insecure)
        if real:
            self.credentials(real[0])

    def credentials(self, api: str) -> auth_credentials.Credentials:
        if self._insecure[api]:
            return auth_credentials.AnonymousCredentials()  # type: ignore[no-untyped-call]
        with self._lock:
            if self._credentials is None:
                self._credentials = self._load_credentials()
            return self._credentials

    def _load_credentials(self) -> auth_credentials.Credentials:
        path = self._config.credentials_file
        if path is not None:
            if not path.expanduser().is_file():
                raise CredentialsError(f"gcp.credentials_file {path}: no such file")
            try:
                key: service_account.Credentials = (
                    service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
                        str(path), scopes=[CLOUD_SCOPE]
                    )
                )
            except (OSError, ValueError, KeyError, GoogleAuthError):
                raise CredentialsError(
                    f"cannot use {path} as a GCP service account key file"
                ) from None
            self.default_project = str(key.project_id) if key.project_id else None
            return key
        named = self._environ.get(ADC_FILE_ENV, "").strip()
        if named and not Path(named).expanduser().is_file():
            raise CredentialsError(
                f"{ADC_FILE_ENV} names {named}, which is not a file: fix the path or unset it "
                "to use `gcloud auth application-default login`"
            )
        try:
            creds, project = google.auth.default(scopes=[CLOUD_SCOPE])
        except DefaultCredentialsError:
            if named:
                raise CredentialsError(
                    f"{ADC_FILE_ENV} ({named}) is not a usable credentials file (a service "
                    "account key or an authorized-user file)"
                ) from None
            raise CredentialsError(
                "no GCP Application Default Credentials: run `gcloud auth application-default "
                f"login`, set {ADC_FILE_ENV} to a service account key file, or set "
                "gcp.credentials_file"
            ) from None
        self.default_project = project
        loaded: auth_credentials.Credentials = creds
        return loaded

    def quota_project(self) -> str:
        """The project Google charges client-based calls to, as google-auth picks it: the
        environment's, the credentials' own, else the credentials' project."""
        named = self._environ.get(QUOTA_PROJECT_ENV, "").strip()
        own = getattr(self._credentials, "quota_project_id", None)
        return named or own or self.default_project or "default"

    def share_quota(self, url: str) -> None:
        """Client-based APIs draw on the quota every worker shares through Redis at `url`."""
        self.quota = SharedQuota(
            url,
            self._config.client_quota_per_minute,
            self.quota_project(),
            self._config.call_timeout_seconds,
        )

    def _admit(self, api: str) -> Any:
        return self.quota.admitter(api) if self.quota is not None else no_wait

    def workspace_credentials(
        self, admin: str, scope: str = DIRECTORY_SCOPE
    ) -> auth_credentials.Credentials:
        """Domain-wide delegation: the service account acts as the Workspace admin, with one
        OAuth scope (a token asked for a scope not delegated fails, so each is asked alone)."""
        if self._insecure["admin"]:
            return auth_credentials.AnonymousCredentials()  # type: ignore[no-untyped-call]
        base = self.credentials("admin")
        if not isinstance(base, service_account.Credentials):
            raise CredentialsError(
                "gcp.workspace_admin needs service account credentials with domain-wide "
                "delegation (a key file in gcp.credentials_file or GOOGLE_APPLICATION_CREDENTIALS)"
            )
        delegated: auth_credentials.Credentials = base.with_scopes([scope]).with_subject(admin)
        return delegated

    # -- discovery clients ------------------------------------------------------------------

    def _http(
        self, credentials: auth_credentials.Credentials
    ) -> google_auth_httplib2.AuthorizedHttp:
        return google_auth_httplib2.AuthorizedHttp(
            credentials, http=httplib2.Http(timeout=int(self._config.call_timeout_seconds))
        )

    def service(self, api: str) -> Any:
        """The discovery client for `api`, built once from the bundled document."""
        with self._lock:
            cached = self._services.get(api)
        if cached is not None:
            return cached
        document = _document(api)
        options = ClientOptions()
        base = self.endpoint(api)
        if base is not None:
            # Discovery clients replace root URL and service path with api_endpoint.
            options.api_endpoint = f"{base}/{document['servicePath']}".rstrip("/") + "/"
        built = discovery.build_from_document(
            document,
            http=self._http(auth_credentials.AnonymousCredentials()),  # type: ignore[no-untyped-call]
            client_options=options,
        )
        with self._lock:
            return self._services.setdefault(api, built)

    def _thread_http(self, api: str, key: str, credentials: auth_credentials.Credentials) -> Any:
        https: dict[str, Any] = self._local.__dict__.setdefault("https", {})
        if key not in https:
            https[key] = SlottedHttp(self._http(credentials), self.slots.of(api), self._admit(api))
        return https[key]

    def execute(
        self, api: str, request: Any, credentials: auth_credentials.Credentials | None = None
    ) -> dict[str, Any]:
        """Runs one request under the retry policy on this thread's own connection.

        `credentials` overrides the API's usual ones (Workspace domain-wide delegation).
        """
        if credentials is None:
            http = self._thread_http(api, api, self.credentials(api))
        else:
            http = self._thread_http(api, f"{api}:{id(credentials)}", credentials)

        def call() -> dict[str, Any]:
            response: dict[str, Any] = request.execute(http=http, num_retries=0)
            return response

        result: dict[str, Any] = self.retry(call)()
        return result

    def paginate(
        self,
        api: str,
        resource: Any,
        method: str,
        items_key: str,
        credentials: auth_credentials.Credentials | None = None,
        **params: Any,
    ) -> list[Any]:
        """Every item of `items_key` over every page; an error on any page raises.

        For aggregatedList calls the items are (scope, {kind: [...]}) pairs.
        """
        items: list[Any] = []
        request = getattr(resource, method)(**params)
        next_page = getattr(resource, f"{method}_next")
        while request is not None:
            response = self.execute(api, request, credentials)
            found = response.get(items_key, [])
            items.extend(found.items() if isinstance(found, dict) else found)
            request = next_page(request, response)
        return items

    # -- Resource Manager (GAPIC, REST transport) -------------------------------------------

    def _gapic_options(self) -> ClientOptions:
        options = ClientOptions()
        base = self.endpoint("cloudresourcemanager")
        if base is not None:
            options.api_endpoint = base  # GAPIC REST clients append /v3/... to it
        return options

    def _gapic(self, kind: type[GapicClient]) -> GapicClient:
        client = kind(
            credentials=self.credentials("cloudresourcemanager"),
            transport="rest",
            client_options=self._gapic_options(),
        )
        # The REST transport's requests session; its requests hold Resource Manager's slots.
        session = getattr(client.transport, "_session", None)
        if isinstance(session, requests.Session):
            api = "cloudresourcemanager"
            mount_slot(session, self.slots.of(api), self._admit(api))
        return client

    def projects(self) -> resourcemanager_v3.ProjectsClient:
        return self._gapic(resourcemanager_v3.ProjectsClient)

    def organizations(self) -> resourcemanager_v3.OrganizationsClient:
        return self._gapic(resourcemanager_v3.OrganizationsClient)

    def folders(self) -> resourcemanager_v3.FoldersClient:
        return self._gapic(resourcemanager_v3.FoldersClient)

    @property
    def timeout(self) -> float:
        return self._config.call_timeout_seconds
