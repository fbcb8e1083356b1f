"""A fake Google Cloud (and Workspace directory) on 127.0.0.1 for the demo and the tests.

It serves the organization in ``fixtures/gcp/`` in the real REST wire format under
``BASE/<api>/...``, where ``BASE/<api>`` stands for ``https://<api>.googleapis.com``:
list calls page with ``nextPageToken`` (at most `page_size` items a page), a project whose
fixture lists an API in ``disabledApis`` answers that API with Google's ``SERVICE_DISABLED``
403, and an unknown project answers ``PERMISSION_DENIED`` as Google does. Custom roles
(``customRoles``) are iam v1 Role resources (discovery document's Role schema: name, title,
description, includedPermissions, stage, etag, deleted), served by roles.list with its
``view`` and ``showDeleted`` parameters. It never changes
anything: every route is a read.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from werkzeug.wrappers import Request, Response

from fixtures import FIXTURES_DIR, load
from providers.demo.fakes.server import FakeServer, Fault, json_response

PAGE_SIZE = 2
# Timestamps that the fake moves forward by the time since the fixtures were recorded, so a
# key recorded as 10 days old is 10 days old whenever the demo runs.
AGED_FIELDS = frozenset({"validAfterTime", "validBeforeTime", "nextRotationTime"})
Route = tuple[str, re.Pattern[str], Callable[..., Response]]


def error_body(code: int, status: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status, **extra}}


def service_disabled_body(service: str, project_number: str) -> dict[str, Any]:
    """The body Google sends when an API is not enabled in the calling project."""
    title = service.split(".")[0]
    message = (
        f"{title} API has not been used in project {project_number} before or it is disabled. "
        f"Enable it by visiting https://console.developers.google.com/apis/api/{service}/"
        f"overview?project={project_number} then retry. If you enabled this API recently, wait "
        "a few minutes for the action to propagate to our systems and retry."
    )
    return error_body(
        403,
        "PERMISSION_DENIED",
        message,
        errors=[
            {
                "message": message,
                "domain": "usageLimits",
                "reason": "accessNotConfigured",
                "extendedHelp": "https://console.developers.google.com",
            }
        ],
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "SERVICE_DISABLED",
                "domain": "googleapis.com",
                "metadata": {"service": service, "consumer": f"projects/{project_number}"},
            }
        ],
    )


def user_project_missing_body() -> dict[str, Any]:
    """A requester-pays bucket read without `userProject` (the Requester Pays page calls it
    400 UserProjectMissing; this is the JSON API's body as its clients report it)."""
    message = "Bucket is a requester pays bucket but no user project provided."
    return {
        "error": {
            "code": 400,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": "required"}],
        }
    }


def rate_limit_fault(path_contains: str, times: int = 1, retry_after: int = 0) -> Fault:
    """A 429 as Google's front end sends it when a per-minute quota runs out."""
    message = (
        "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute'."
    )
    return Fault(
        path_contains,
        429,
        error_body(
            429,
            "RESOURCE_EXHAUSTED",
            message,
            errors=[{"message": message, "domain": "global", "reason": "rateLimitExceeded"}],
        ),
        headers={"Retry-After": str(retry_after)},
        times=times,
    )


def permission_denied_fault(path_contains: str, permission: str, times: int = 1) -> Fault:
    message = f"Permission '{permission}' denied on resource (or it may not exist)."
    return Fault(
        path_contains,
        403,
        error_body(
            403,
            "PERMISSION_DENIED",
            message,
            errors=[{"message": message, "domain": "global", "reason": "forbidden"}],
        ),
        times=times,
    )


def _aged(value: Any, shift: timedelta, field: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _aged(v, shift, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_aged(v, shift, field) for v in value]
    if field in AGED_FIELDS and isinstance(value, str) and not value.startswith("9999"):
        moved = datetime.fromisoformat(value) + shift
        return moved.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(token: str | None) -> int:
    if not token:
        return 0
    return int(base64.urlsafe_b64decode(token.encode()).decode().split(":", 1)[1])


class FakeGcp:
    """The fake organization. `server.requests` logs every request for the tests."""

    def __init__(self, page_size: int = PAGE_SIZE, now: datetime | None = None) -> None:
        self.page_size = page_size
        organization = load("gcp/organization.json")
        recorded = datetime.fromisoformat(organization["recordedAt"])
        self.shift = (now or datetime.now(UTC)) - recorded
        self.organization: str = organization["organization"]
        self.folders: dict[str, dict[str, Any]] = {f["name"]: f for f in organization["folders"]}
        self.project_list: list[dict[str, Any]] = organization["projects"]
        self.ancestor_policies: dict[str, Any] = organization.get("iamPolicies", {})
        self.ancestor_sink_lists: dict[str, list[Any]] = organization.get("sinks", {})
        self.ancestor_roles: dict[str, list[Any]] = organization.get("customRoles", {})
        self.projects: dict[str, dict[str, Any]] = {
            p["projectId"]: _aged(load(f"gcp/projects/{p['projectId']}.json"), self.shift)
            for p in self.project_list
            if (FIXTURES_DIR / "gcp" / "projects" / f"{p['projectId']}.json").exists()
        }
        self.users: list[dict[str, Any]] = load("gcp/workspace_users.json")
        self.sso: dict[str, Any] = load("gcp/workspace_sso.json")
        self.routes: list[Route] = [
            (method, re.compile(f"^{pattern}$"), handler)
            for method, pattern, handler in self._route_table()
        ]
        self.server = FakeServer(self.handle)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log in the demo

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def requests(self) -> list[tuple[str, str]]:
        return self.server.requests

    def inject(self, fault: Fault) -> None:
        self.server.inject(fault)

    def __enter__(self) -> FakeGcp:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    # -- helpers ----------------------------------------------------------------------------

    def _page(self, request: Request, key: str, items: list[Any], **extra: Any) -> Response:
        asked = request.args.get("pageSize") or request.args.get("maxResults")
        size = min(int(asked), self.page_size) if asked else self.page_size
        start = _offset(request.args.get("pageToken"))
        body: dict[str, Any] = {**extra}
        chunk = items[start : start + size]
        if chunk:
            body[key] = chunk
        if start + size < len(items):
            body["nextPageToken"] = _token(start + size)
        return json_response(body)

    def _aggregated(self, request: Request, kind: str, items: list[dict[str, Any]]) -> Response:
        """compute aggregatedList: items grouped by scope, paged over the flat list."""
        flat = sorted(items, key=lambda i: i.get("region", ""))
        size = min(int(request.args.get("maxResults") or 500), self.page_size)
        start = _offset(request.args.get("pageToken"))
        grouped: dict[str, Any] = {}
        for item in flat[start : start + size]:
            region = item.get("region", "").rsplit("/", 1)[-1]
            scope = f"regions/{region}" if region else "global"
            grouped.setdefault(scope, {kind: []})[kind].append(item)
        body: dict[str, Any] = {"kind": f"compute#{kind}AggregatedList", "items": grouped}
        if start + size < len(flat):
            body["nextPageToken"] = _token(start + size)
        return json_response(body)

    def _project(self, key: str) -> dict[str, Any] | None:
        for meta in self.project_list:
            if key in (meta["projectId"], meta["name"].split("/", 1)[1]):
                return meta
        return None

    def _data(self, project_id: str) -> dict[str, Any]:
        return self.projects.get(project_id, {})

    def _denied(self, what: str) -> Response:
        return json_response(
            error_body(
                403,
                "PERMISSION_DENIED",
                f"The caller does not have permission on {what} (or it may not exist).",
            ),
            403,
        )

    def _not_found(self, what: str) -> Response:
        return json_response(error_body(404, "NOT_FOUND", f"{what} not found."), 404)

    # -- dispatch ---------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        path = request.path
        for method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match is None or request.method != method:
                continue
            project_id = match.groupdict().get("project")
            if project_id is not None:
                meta = self._project(project_id)
                if meta is None or meta["projectId"] not in self.projects:
                    return self._denied(f"project {project_id}")
                service = f"{path.split('/')[1]}.googleapis.com"
                if service in self._data(meta["projectId"]).get("disabledApis", ()):
                    number = meta["name"].split("/", 1)[1]
                    return json_response(service_disabled_body(service, number), 403)
                return handler(request, meta["projectId"], *match.groups()[1:])
            return handler(request, *match.groups())
        return self._not_found(f"{request.method} {path}")

    def _route_table(self) -> list[tuple[str, str, Callable[..., Response]]]:
        p = r"(?P<project>[^/:]+)"
        return [
            ("GET", r"/cloudresourcemanager/v3/projects:search", self.search_projects),
            ("GET", r"/cloudresourcemanager/v3/projects/([^/:]+)", self.get_project),
            ("POST", rf"/cloudresourcemanager/v3/projects/{p}:getIamPolicy", self.project_iam),
            ("GET", r"/cloudresourcemanager/v3/(folders/[^/:]+)", self.get_folder),
            (
                "POST",
                r"/cloudresourcemanager/v3/((?:folders|organizations)/[^/:]+):getIamPolicy",
                self.ancestor_iam,
            ),
            ("GET", r"/logging/v2/((?:folders|organizations)/[^/:]+)/sinks", self.ancestor_sinks),
            ("GET", rf"/iam/v1/projects/{p}/serviceAccounts", self.service_accounts),
            ("GET", rf"/iam/v1/projects/{p}/roles", self.project_roles),
            ("GET", r"/iam/v1/(organizations/[^/:]+)/roles", self.org_roles),
            ("GET", rf"/iam/v1/projects/{p}/serviceAccounts/([^/]+)/keys", self.keys),
            ("GET", r"/storage/storage/v1/b", self.buckets),
            ("GET", r"/storage/storage/v1/b/([^/]+)/iam", self.bucket_iam),
            ("GET", r"/storage/storage/v1/b/([^/]+)", self.bucket),
            ("GET", rf"/cloudkms/v1/projects/{p}/locations", self.kms_locations),
            ("GET", rf"/cloudkms/v1/projects/{p}/locations/([^/]+)/keyRings", self.key_rings),
            (
                "GET",
                rf"/cloudkms/v1/projects/{p}/locations/([^/]+)/keyRings/([^/]+)/cryptoKeys",
                self.crypto_keys,
            ),
            (
                "GET",
                rf"/cloudkms/v1/projects/{p}/locations/([^/]+)/keyRings/([^/]+)/cryptoKeys/"
                r"([^/:]+):getIamPolicy",
                self.key_iam,
            ),
            (
                "GET",
                rf"/cloudkms/v1/projects/{p}/locations/([^/]+)/ekmConnections/([^/:]+)",
                self.ekm_connection,
            ),
            ("GET", rf"/logging/v2/projects/{p}/sinks", self.sinks),
            ("GET", rf"/logging/v2/projects/{p}/locations/-/buckets", self.log_buckets),
            ("GET", rf"/compute/compute/v1/projects/{p}/aggregated/sslPolicies", self.ssl_policies),
            (
                "GET",
                rf"/compute/compute/v1/projects/{p}/aggregated/targetHttpsProxies",
                self.https_proxies,
            ),
            ("GET", rf"/compute/compute/v1/projects/{p}/global/targetSslProxies", self.ssl_proxies),
            ("GET", rf"/sqladmin/v1/projects/{p}/instances", self.sql_instances),
            ("GET", r"/admin/admin/directory/v1/users", self.workspace_users),
            ("GET", r"/admin/admin/directory/v1/customer/([^/]+)/orgunits", self.org_units),
            (
                "GET",
                r"/cloudidentity/v1/(inboundSsoAssignments|inboundSamlSsoProfiles"
                r"|inboundOidcSsoProfiles)",
                self.inbound_sso,
            ),
        ]

    # -- Resource Manager -------------------------------------------------------------------

    def search_projects(self, request: Request) -> Response:
        query = request.args.get("query", "")
        projects = self.project_list
        wanted = re.search(r"parent:(\S+)", query)
        if wanted:
            projects = [p for p in projects if p["parent"] == wanted.group(1)]
        return self._page(request, "projects", projects)

    def get_project(self, request: Request, key: str) -> Response:
        meta = self._project(key)
        return json_response(meta) if meta else self._denied(f"projects/{key}")

    def project_iam(self, request: Request, project_id: str) -> Response:
        return json_response(self._data(project_id).get("iamPolicy", {"etag": "ACAB"}))

    def get_folder(self, request: Request, name: str) -> Response:
        folder = self.folders.get(name)
        return json_response(folder) if folder else self._denied(name)

    def ancestor_iam(self, request: Request, name: str) -> Response:
        policy = self.ancestor_policies.get(name)
        return json_response(policy) if policy else self._denied(name)

    def ancestor_sinks(self, request: Request, name: str) -> Response:
        if name not in self.ancestor_policies:
            return self._denied(name)
        return self._page(request, "sinks", self.ancestor_sink_lists.get(name, []))

    # -- IAM --------------------------------------------------------------------------------

    def service_accounts(self, request: Request, project_id: str) -> Response:
        return self._page(request, "accounts", self._data(project_id).get("serviceAccounts", []))

    def _roles(self, request: Request, roles: list[dict[str, Any]]) -> Response:
        """roles.list: view BASIC (the default) leaves out includedPermissions; deleted roles
        only with showDeleted."""
        if request.args.get("showDeleted") != "true":
            roles = [r for r in roles if not r.get("deleted")]
        if request.args.get("view") != "FULL":
            roles = [{k: v for k, v in r.items() if k != "includedPermissions"} for r in roles]
        return self._page(request, "roles", roles)

    def project_roles(self, request: Request, project_id: str) -> Response:
        return self._roles(request, self._data(project_id).get("customRoles", []))

    def org_roles(self, request: Request, name: str) -> Response:
        if name not in self.ancestor_policies:
            return self._denied(name)
        return self._roles(request, self.ancestor_roles.get(name, []))

    def keys(self, request: Request, project_id: str, email: str) -> Response:
        keys = self._data(project_id).get("serviceAccountKeys", {}).get(email)
        if keys is None:
            return self._not_found(f"Service account projects/{project_id}/serviceAccounts/{email}")
        key_types = request.args.getlist("keyTypes")
        if key_types:
            keys = [k for k in keys if k.get("keyType") in key_types]
        return json_response({"keys": keys} if keys else {})

    # -- Cloud Storage ----------------------------------------------------------------------

    def _find_bucket(self, name: str) -> tuple[str, dict[str, Any]] | None:
        for project_id, data in self.projects.items():
            for bucket in data.get("buckets", []):
                if bucket["name"] == name:
                    return project_id, bucket
        return None

    def buckets(self, request: Request) -> Response:
        project_id = request.args.get("project", "")
        meta = self._project(project_id)
        if meta is None or meta["projectId"] not in self.projects:
            return self._denied(f"project {project_id}")
        data = self._data(meta["projectId"])
        if "storage.googleapis.com" in data.get("disabledApis", ()):
            number = meta["name"].split("/", 1)[1]
            return json_response(service_disabled_body("storage.googleapis.com", number), 403)
        buckets = data.get("buckets", [])
        if request.args.get("projection") != "full":  # noAcl, the default for list
            hidden = ("acl", "defaultObjectAcl", "owner")
            buckets = [{k: v for k, v in b.items() if k not in hidden} for b in buckets]
        return self._page(request, "items", buckets, kind="storage#buckets")

    def _unbilled(self, request: Request, bucket: dict[str, Any]) -> Response | None:
        """The 400 a requester-pays bucket answers a read that names no project to bill."""
        pays = (bucket.get("billing") or {}).get("requesterPays") is True
        if pays and not request.args.get("userProject"):
            return json_response(user_project_missing_body(), 400)
        return None

    def bucket(self, request: Request, name: str) -> Response:
        found = self._find_bucket(name)
        if found is None:
            return self._not_found(f"bucket {name}")
        return self._unbilled(request, found[1]) or json_response(found[1])

    def bucket_iam(self, request: Request, name: str) -> Response:
        found = self._find_bucket(name)
        if found is None:
            return self._not_found(f"bucket {name}")
        unbilled = self._unbilled(request, found[1])
        if unbilled is not None:
            return unbilled
        policy = self._data(found[0]).get("bucketIamPolicies", {}).get(name, {"bindings": []})
        return json_response(
            {"kind": "storage#policy", "resourceId": f"projects/_/buckets/{name}", **policy}
        )

    # -- Cloud KMS --------------------------------------------------------------------------

    def _kms(self, project_id: str) -> dict[str, Any]:
        kms: dict[str, Any] = self._data(project_id).get("kms", {})
        return kms

    def kms_locations(self, request: Request, project_id: str) -> Response:
        return self._page(request, "locations", self._kms(project_id).get("locations", []))

    def key_rings(self, request: Request, project_id: str, location: str) -> Response:
        prefix = f"projects/{project_id}/locations/{location}/keyRings/"
        rings = [
            r for r in self._kms(project_id).get("keyRings", []) if r["name"].startswith(prefix)
        ]
        return self._page(request, "keyRings", rings, totalSize=len(rings))

    def crypto_keys(self, request: Request, project_id: str, location: str, ring: str) -> Response:
        prefix = f"projects/{project_id}/locations/{location}/keyRings/{ring}/cryptoKeys/"
        keys = [
            k for k in self._kms(project_id).get("cryptoKeys", []) if k["name"].startswith(prefix)
        ]
        return self._page(request, "cryptoKeys", keys, totalSize=len(keys))

    def key_iam(
        self, request: Request, project_id: str, location: str, ring: str, key: str
    ) -> Response:
        name = f"projects/{project_id}/locations/{location}/keyRings/{ring}/cryptoKeys/{key}"
        policy = self._kms(project_id).get("cryptoKeyIamPolicies", {}).get(name, {"etag": "BwYA"})
        return json_response(policy)

    def ekm_connection(
        self, request: Request, project_id: str, location: str, connection: str
    ) -> Response:
        """An EkmConnection resource (name, keyManagementMode, serviceResolvers, …)."""
        name = f"projects/{project_id}/locations/{location}/ekmConnections/{connection}"
        found = self._kms(project_id).get("ekmConnections", {}).get(name)
        return json_response(found) if found else self._not_found(name)

    # -- Cloud Logging ----------------------------------------------------------------------

    def sinks(self, request: Request, project_id: str) -> Response:
        return self._page(request, "sinks", self._data(project_id).get("logSinks", []))

    def log_buckets(self, request: Request, project_id: str) -> Response:
        return self._page(request, "buckets", self._data(project_id).get("logBuckets", []))

    # -- Compute ----------------------------------------------------------------------------

    def ssl_policies(self, request: Request, project_id: str) -> Response:
        return self._aggregated(
            request, "sslPolicies", self._data(project_id).get("sslPolicies", [])
        )

    def https_proxies(self, request: Request, project_id: str) -> Response:
        return self._aggregated(
            request, "targetHttpsProxies", self._data(project_id).get("targetHttpsProxies", [])
        )

    def ssl_proxies(self, request: Request, project_id: str) -> Response:
        return self._page(
            request,
            "items",
            self._data(project_id).get("targetSslProxies", []),
            kind="compute#targetSslProxyList",
        )

    # -- Cloud SQL --------------------------------------------------------------------------

    def sql_instances(self, request: Request, project_id: str) -> Response:
        return self._page(
            request,
            "items",
            self._data(project_id).get("sqlInstances", []),
            kind="sql#instancesList",
        )

    # -- Workspace directory ----------------------------------------------------------------

    def workspace_users(self, request: Request) -> Response:
        if not request.args.get("customer") and not request.args.get("domain"):
            return json_response(error_body(400, "INVALID_ARGUMENT", "Bad Request"), 400)
        return self._page(request, "users", self.users, kind="admin#directory#users")

    def org_units(self, request: Request, customer: str) -> Response:
        """orgunits.list answers every unit at once (no pages); type=all includes sub-units."""
        return json_response(self.sso["orgUnits"])

    def inbound_sso(self, request: Request, kind: str) -> Response:
        """Cloud Identity's inbound SSO lists: filtered by customer only (a CEL expression)."""
        if not re.fullmatch(r'customer=="?customers/[^"]+"?', request.args.get("filter", "")):
            return json_response(error_body(400, "INVALID_ARGUMENT", "Invalid filter"), 400)
        return self._page(request, kind, self.sso[kind])
