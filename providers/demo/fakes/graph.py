"""A fake Microsoft Graph v1.0 tenant on 127.0.0.1, serving fixtures/azuread in the wire format.

What it reproduces: absolute `@odata.nextLink` (with an opaque `$skiptoken`) pointing back at
its own base URL, pages smaller than `$top` asks, `@odata.type` on directory objects,
`$select` (signInActivity only when asked for), `$expand=principal`, Graph error bodies
(403 Authorization_RequestDenied, licence-gated 403s and PIM's 400, 404), and, through
`providers.demo.fakes.server.Fault`, 429s with Retry-After. Timestamps are shifted by
(now - recorded_at) so the tenant's ages stay the same whenever it is served.
"""

from __future__ import annotations

import base64
import copy
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from fixtures import load
from providers.demo.fakes.server import FakeServer, json_response

API = "/v1.0"
DEFAULT_PAGE_SIZE = 4
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

LICENCE_P1 = (
    "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
    "Neither tenant is B2C or tenant doesn't have premium license",
)
# PIM on a tenant without P2: HTTP 400, not 403 (as Graph answers roleEligibilitySchedule*).
LICENCE_P2 = (
    "AadPremiumLicenseRequired",
    "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.",
)
# Service plan ids of AAD_PREMIUM and AAD_PREMIUM_P2 (Entra licensing service plan reference).
PLAN_P1 = "41781fb2-bc02-4b7c-bd55-b576c07bb09d"
PLAN_P2 = "eec0eb4f-6444-4f95-aba0-50c24d67f998"
DENIED = ("Authorization_RequestDenied", "Insufficient privileges to complete the operation.")


def graph_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    request_id = str(uuid.uuid4())
    body = {
        "error": {
            "code": code,
            "message": message,
            "innerError": {"date": now, "request-id": request_id, "client-request-id": request_id},
        }
    }
    return json_response(body, status, {"request-id": request_id, **(headers or {})})


def throttled() -> dict[str, Any]:
    """A 429 body for `Fault` (the header goes in Fault.headers)."""
    return {
        "error": {
            "code": "TooManyRequests",
            "message": "Too many requests.",
            "innerError": {"date": "2026-11-20T09:00:00", "request-id": str(uuid.uuid4())},
        }
    }


def denied_body() -> dict[str, Any]:
    return {"error": {"code": DENIED[0], "message": DENIED[1], "innerError": {}}}


def _shift(value: Any, delta: timedelta) -> Any:
    if isinstance(value, dict):
        return {k: _shift(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, delta) for v in value]
    if isinstance(value, str) and _TIMESTAMP.match(value):
        head, _, frac = value.rstrip("Z").partition(".")
        moved = datetime.fromisoformat(head).replace(tzinfo=UTC) + delta
        return moved.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}Z" if frac else "Z")
    return value


class Tenant:
    """The fixture tenant, with timestamps moved to `now`."""

    def __init__(self, now: datetime | None = None, fixture_dir: str = "azuread") -> None:
        recording = load(f"{fixture_dir}/recording.json")
        recorded = datetime.fromisoformat(recording["recorded_at"].replace("Z", "+00:00"))
        delta = (now or datetime.now(UTC)) - recorded
        self.tenant_id: str = recording["tenant_id"]

        def get(name: str) -> Any:
            return _shift(load(f"{fixture_dir}/{name}.json"), delta)

        self.organization = get("organization")
        self.users: list[dict[str, Any]] = get("users")
        self.registrations: list[dict[str, Any]] = get("user_registration_details")
        self.policies: list[dict[str, Any]] = get("conditional_access_policies")
        self.security_defaults = get("security_defaults")
        self.authorization_policy = get("authorization_policy")
        self.role_definitions: list[dict[str, Any]] = get("role_definitions")
        self.role_assignments: list[dict[str, Any]] = get("role_assignments")
        self.role_eligibility: list[dict[str, Any]] = get("role_eligibility_schedules")
        self.groups: dict[str, dict[str, Any]] = get("groups")
        self.applications: list[dict[str, Any]] = get("applications")
        self.service_principals: list[dict[str, Any]] = get("service_principals")


class FakeGraph:
    """The WSGI handler. `premium` False makes signInActivity and P1 reports licence-gated;
    `p2` False does the same for PIM (and /organization's `assignedPlans` lose the plan);
    `flaky_premium_check` answers the P1 licence error on a licensed tenant, as Graph is known
    to now and then; `denied` holds path prefixes answered with a 403.

    Variants that real deployments (and other fakes) show: `expand_principal` False ignores
    `$expand=principal`; `unified_rbac` False answers 404 on roleDefinitions and
    transitiveMembers and serves /directoryRoles and /members instead; `link_host` writes
    nextLinks with another spelling of the loopback host (e.g. ``localhost``).
    """

    def __init__(
        self,
        tenant: Tenant | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        premium: bool = True,
        p2: bool = True,
        flaky_premium_check: bool = False,
        denied: tuple[str, ...] = (),
        expand_principal: bool = True,
        unified_rbac: bool = True,
        link_host: str | None = None,
    ) -> None:
        self.tenant = tenant or Tenant()
        self.page_size = page_size
        self.premium = premium
        self.p2 = p2
        self.flaky_premium_check = flaky_premium_check
        self.denied = denied
        self.expand_principal = expand_principal
        self.unified_rbac = unified_rbac
        self.link_host = link_host
        self.base_url = ""
        self.authorization_headers = 0
        routes: dict[str, Callable[[Request], Response]] = {
            "/organization": self._organization,
            "/users": self._users,
            "/reports/authenticationMethods/userRegistrationDetails": self._registrations,
            "/identity/conditionalAccess/policies": lambda r: self._list(
                r, self.tenant.policies, "identity/conditionalAccess/policies"
            ),
            "/policies/identitySecurityDefaultsEnforcementPolicy": lambda r: self._entity(
                self.tenant.security_defaults, "policies/identitySecurityDefaultsEnforcementPolicy"
            ),
            "/policies/authorizationPolicy": lambda r: self._entity(
                self.tenant.authorization_policy, "policies/authorizationPolicy"
            ),
            "/roleManagement/directory/roleDefinitions": self._role_definitions,
            "/directoryRoles": self._directory_roles,
            "/roleManagement/directory/roleAssignments": lambda r: self._expanded(
                r, self.tenant.role_assignments, "roleManagement/directory/roleAssignments"
            ),
            "/roleManagement/directory/roleEligibilitySchedules": self._eligibility,
            "/applications": lambda r: self._list(r, self.tenant.applications, "applications"),
            "/servicePrincipals": lambda r: self._list(
                r, self.tenant.service_principals, "servicePrincipals"
            ),
        }
        self.routes = routes

    # --- WSGI entry -----------------------------------------------------------------------

    def __call__(self, request: Request) -> Response:
        if request.headers.get("Authorization"):
            self.authorization_headers += 1
        if request.method != "GET":
            return graph_error(405, "Request_BadRequest", "posture is read-only; so is this fake")
        path = request.path
        if not path.startswith(API + "/"):
            return graph_error(400, "BadRequest", "Invalid version.")
        path = path[len(API) :]
        if any(path.startswith(prefix) for prefix in self.denied):
            return graph_error(403, *DENIED)
        route = self.routes.get(path)
        if route is not None:
            return route(request)
        match = re.fullmatch(r"/groups/([^/]+)/(transitiveMembers|members)", path)
        if match and (self.unified_rbac or match.group(2) == "members"):
            return self._members(request, match.group(1))
        return graph_error(404, "Request_ResourceNotFound", f"Resource '{path}' does not exist.")

    # --- responses ------------------------------------------------------------------------

    def _context(self, what: str) -> str:
        return f"{self.base_url}{API}/$metadata#{what}"

    def _entity(self, entity: dict[str, Any], what: str) -> Response:
        return json_response({"@odata.context": self._context(f"{what}/$entity"), **entity})

    def _list(self, request: Request, items: list[dict[str, Any]], what: str) -> Response:
        """One page of `items`; pages are smaller than $top, the link is absolute and opaque."""
        offset = 0
        token = request.args.get("$skiptoken")
        if token:
            try:
                offset = int(base64.urlsafe_b64decode(token.encode()).decode().split(":", 1)[1])
            except (ValueError, IndexError):
                return graph_error(400, "Directory_InvalidSkipToken", "The skip token is invalid.")
        try:
            top = int(request.args.get("$top", "100"))
        except ValueError:
            return graph_error(400, "Request_BadRequest", "Invalid $top.")
        size = max(1, min(top, self.page_size))
        page = [self._select(request, item) for item in items[offset : offset + size]]
        body: dict[str, Any] = {"@odata.context": self._context(what), "value": page}
        if offset + size < len(items):
            args = [(k, v) for k, v in request.args.items(multi=True) if k != "$skiptoken"]
            marker = base64.urlsafe_b64encode(f"RFNwdAI:{offset + size}".encode()).decode()
            args.append(("$skiptoken", marker))
            base = self.base_url
            if self.link_host:
                base = base.replace("127.0.0.1", self.link_host)
            body["@odata.nextLink"] = f"{base}{request.path}?{urlencode(args, safe='$,()')}"
        return json_response(
            body,
            headers={
                "request-id": str(uuid.uuid4()),
                "Content-Type": "application/json;odata.metadata=minimal;"
                "odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
            },
        )

    @staticmethod
    def _select(request: Request, item: dict[str, Any]) -> dict[str, Any]:
        select = request.args.get("$select")
        if not select:
            return {k: v for k, v in item.items() if k != "signInActivity"}
        wanted = {s.strip() for s in select.split(",")} | {"@odata.type", "id"}
        return {k: v for k, v in item.items() if k in wanted}

    def _organization(self, request: Request) -> Response:
        dropped = set() if self.premium else {PLAN_P1, PLAN_P2}
        if not self.p2:
            dropped.add(PLAN_P2)
        org = copy.deepcopy(self.tenant.organization)
        org["assignedPlans"] = [
            p for p in org.get("assignedPlans", []) if p.get("servicePlanId") not in dropped
        ]
        return self._list(request, [org], "organization")

    def _users(self, request: Request) -> Response:
        if "signInActivity" in request.args.get("$select", "") and not self.premium:
            return graph_error(403, *LICENCE_P1)
        return self._list(request, self.tenant.users, "users")

    def _registrations(self, request: Request) -> Response:
        if not self.premium or self.flaky_premium_check:
            return graph_error(403, *LICENCE_P1)
        return self._list(
            request,
            self.tenant.registrations,
            "reports/authenticationMethods/userRegistrationDetails",
        )

    def _role_definitions(self, request: Request) -> Response:
        if not self.unified_rbac:
            return graph_error(404, "Request_ResourceNotFound", "Resource not found.")
        return self._list(
            request, self.tenant.role_definitions, "roleManagement/directory/roleDefinitions"
        )

    def _directory_roles(self, request: Request) -> Response:
        """Activated roles: object ids of their own, the template id in roleTemplateId."""
        roles = [
            {
                "@odata.type": "#microsoft.graph.directoryRole",
                "id": f"d{d['templateId'][1:]}",
                "displayName": d["displayName"],
                "description": d.get("description"),
                "roleTemplateId": d["templateId"],
            }
            for d in self.tenant.role_definitions
        ]
        return self._list(request, roles, "directoryRoles")

    def _expanded(self, request: Request, items: list[dict[str, Any]], what: str) -> Response:
        if request.args.get("$expand") != "principal" or not self.expand_principal:
            items = [{k: v for k, v in i.items() if k != "principal"} for i in items]
        return self._list(request, copy.deepcopy(items), what)

    def _eligibility(self, request: Request) -> Response:
        if not self.p2:
            return graph_error(400, *LICENCE_P2)
        return self._expanded(
            request,
            self.tenant.role_eligibility,
            "roleManagement/directory/roleEligibilitySchedules",
        )

    def _members(self, request: Request, group_id: str) -> Response:
        group = self.tenant.groups.get(group_id)
        if group is None:
            return graph_error(
                404, "Request_ResourceNotFound", f"Resource '{group_id}' does not exist."
            )
        return self._list(request, group["members"], "directoryObjects")


def start_fake_graph(**kwargs: Any) -> tuple[FakeServer, FakeGraph]:
    """Starts a FakeServer serving a FakeGraph; the caller stops it."""
    graph = FakeGraph(**kwargs)
    server = FakeServer(graph).start()
    graph.base_url = server.url
    return server, graph
