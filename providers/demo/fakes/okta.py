"""A fake Okta org on 127.0.0.1 serving recorded payloads from fixtures/okta/<org>/.

It answers as the real Management API does: `Link` headers with rel="self" and rel="next" as
separate headers and an opaque `after` cursor; `/api/v1/iam/assignees/users` paging in the body;
rate-limit headers on every answer; Okta error bodies (E0000011 for a bad token, E0000007 for
an unknown path). With `super_admin=False` the app listing leaves the first-party apps out, as
Okta does below Super Administrator. The recorded org URL is rewritten to the fake's own, and
recorded timestamps are shifted so that the recording's age relations hold on the day the fake
runs.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from fixtures import load
from providers.demo.fakes.server import FakeServer, FakeService, Fault, json_response

ORG_FIXTURES = "okta/acme"
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
_STATUS_TERM = re.compile(r'status\s+eq\s+"([A-Z_]+)"')
RATE_LIMIT = 600
FIRST_PARTY_APPS = frozenset({"saasure", "okta_enduser"})
"""The Admin Console and the Dashboard: /api/v1/apps lists them only to a Super Administrator."""


def okta_error(code: str, summary: str) -> dict[str, Any]:
    return {
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": f"oae{code.lower()}fake",
        "errorCauses": [],
    }


def rate_limited(path_contains: str, times: int = 1) -> Fault:
    """A 429 as Okta sends it; the reset is a second away, so the SDK waits one to two seconds
    (at least one even when the answer's Date header is a second later than this call)."""
    now = int(time.time()) + 1
    return Fault(
        path_contains,
        429,
        okta_error("E0000047", "API call exceeded rate limit due to too many requests."),
        {
            "X-Rate-Limit-Limit": str(RATE_LIMIT),
            "X-Rate-Limit-Remaining": "0",
            "X-Rate-Limit-Reset": str(now),
        },
        times,
    )


def forbidden(path_contains: str, times: int = 1_000_000) -> Fault:
    """A 403 for a missing role or scope."""
    return Fault(
        path_contains,
        403,
        okta_error("E0000006", "You do not have permission to perform the requested action"),
        times=times,
    )


def feature_not_enabled(path_contains: str, times: int = 1_000_000) -> Fault:
    """Okta's 401 E0000015 for a feature the org lacks (Error-FF-NotEnabled-Response-401)."""
    return Fault(
        path_contains,
        401,
        okta_error(
            "E0000015", "You do not have permission to access the feature you are requesting"
        ),
        times=times,
    )


def server_error(path_contains: str, times: int = 1_000_000) -> Fault:
    return Fault(path_contains, 500, okta_error("E0000009", "Internal Server Error"), times=times)


def _jwt_claims(token: str) -> dict[str, Any]:
    """The claims of a JWT, unverified (the fake checks who is asking, not the signature)."""
    try:
        payload = token.split(".")[1]
        decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return decoded if isinstance(decoded, dict) else {}


class FakeOktaOrg(FakeService):
    """The handler and its data. Use as a context manager; `url` is the org URL to scan."""

    def __init__(
        self,
        fixtures: str = ORG_FIXTURES,
        token: str = "fake-okta-token",  # noqa: S107 (a fake org's token)
        client_id: str | None = None,
        page_size: int = 5,
        now: datetime | None = None,
        overrides: dict[str, Any] | None = None,
        honour_search: bool = True,
        super_admin: bool = True,
        left_mid_scan: frozenset[str] = frozenset(),
    ) -> None:
        self.token = token
        self.super_admin = super_admin
        self.left_mid_scan = left_mid_scan
        """Users still in the listings whose own endpoints answer 404, as if deleted since."""
        self.client_id = client_id
        self.honour_search = honour_search
        self._access_tokens: set[str] = set()
        self.page_size = page_size
        recording = load(f"{fixtures}/_recording.json")
        self._recorded_org = str(recording["org_url"])
        recorded_at = datetime.fromisoformat(str(recording["recorded_at"]))
        self._shift = (now or datetime.now(UTC)) - recorded_at
        self._raw: dict[str, Any] = {}
        for name in (
            "users",
            "factors",
            "role_assignees",
            "user_roles",
            "groups",
            "group_roles",
            "group_members",
            "policies",
            "policy_rules",
            "apps",
            "authenticators",
            "authenticator_methods",
            "api_tokens",
            "log_streams",
            "threat_insight",
            "zones",
        ):
            self._raw[name] = load(f"{fixtures}/{name}.json")
        self._raw.update(overrides or {})
        self.server = FakeServer(self._handle)
        self._routes: list[tuple[re.Pattern[str], Callable[..., Response]]] = [
            (re.compile(r"^/api/v1/users$"), self._users),
            (re.compile(r"^/api/v1/users/([^/]+)$"), self._user),
            (re.compile(r"^/api/v1/users/([^/]+)/factors$"), self._keyed("factors")),
            (re.compile(r"^/api/v1/users/([^/]+)/roles$"), self._keyed("user_roles")),
            (re.compile(r"^/api/v1/iam/assignees/users$"), self._assignees),
            (re.compile(r"^/api/v1/groups$"), self._listed("groups")),
            (re.compile(r"^/api/v1/groups/([^/]+)$"), self._group),
            (re.compile(r"^/api/v1/groups/([^/]+)/roles$"), self._keyed("group_roles")),
            (re.compile(r"^/api/v1/groups/([^/]+)/users$"), self._group_users),
            (re.compile(r"^/api/v1/policies$"), self._policies),
            (re.compile(r"^/api/v1/policies/([^/]+)$"), self._policy),
            (re.compile(r"^/api/v1/policies/([^/]+)/rules$"), self._keyed("policy_rules")),
            (re.compile(r"^/api/v1/apps$"), self._apps),
            (re.compile(r"^/api/v1/authenticators$"), self._listed("authenticators")),
            (
                re.compile(r"^/api/v1/authenticators/([^/]+)/methods$"),
                self._keyed("authenticator_methods"),
            ),
            (re.compile(r"^/api/v1/api-tokens$"), self._listed("api_tokens")),
            (re.compile(r"^/api/v1/logStreams$"), self._listed("log_streams")),
            (re.compile(r"^/api/v1/threats/configuration$"), self._threats),
            (re.compile(r"^/api/v1/zones$"), self._listed("zones")),
        ]

    # -- wire format -----------------------------------------------------------------------
    def _live(self, value: Any) -> Any:
        """The recorded value as this fake serves it: its own URL, timestamps moved to today."""
        if isinstance(value, dict):
            return {k: self._live(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._live(v) for v in value]
        if isinstance(value, str):
            if _TIMESTAMP.match(value):
                moved = datetime.fromisoformat(value) + self._shift
                return moved.strftime("%Y-%m-%dT%H:%M:%S.000Z")
            return value.replace(self._recorded_org, self.url)
        return value

    def _headers(self) -> dict[str, str]:
        return {
            "X-Rate-Limit-Limit": str(RATE_LIMIT),
            "X-Rate-Limit-Remaining": str(RATE_LIMIT - 1),
            "X-Rate-Limit-Reset": str(int(time.time()) + 60),
            "X-Okta-Request-Id": f"fake-{len(self.requests)}",
        }

    def _ok(self, payload: Any, links: list[str] | None = None) -> Response:
        response = json_response(self._live(payload), 200, self._headers())
        for link in links or []:
            response.headers.add("Link", link)
        return response

    def _error(self, status: int, code: str, summary: str) -> Response:
        return json_response(okta_error(code, summary), status, self._headers())

    def _page(self, request: Request, items: list[Any]) -> tuple[list[Any], str | None]:
        """One page by `limit` (capped at the fake's page size) after the `after` cursor."""
        try:
            limit = min(int(request.args.get("limit", self.page_size)), self.page_size)
        except ValueError:
            limit = self.page_size
        limit = max(limit, 1)
        start = 0
        after = request.args.get("after")
        if after:
            ids = [str(i.get("id")) if isinstance(i, dict) else str(i) for i in items]
            if after not in ids:
                return [], None
            start = ids.index(after) + 1
        page = items[start : start + limit]
        more = start + limit < len(items)
        cursor = str(page[-1].get("id")) if more and page and isinstance(page[-1], dict) else None
        return page, cursor

    def _paged(self, request: Request, items: list[Any]) -> Response:
        page, cursor = self._page(request, items)
        base = f"{self.url}{request.path}"
        args = {k: v for k, v in request.args.items() if k != "after"}
        links = [f'<{base}?{urlencode(args)}>; rel="self"' if args else f'<{base}>; rel="self"']
        if cursor:
            links.append(f'<{base}?{urlencode({**args, "after": cursor})}>; rel="next"')
        return self._ok(page, links)

    # -- routes ----------------------------------------------------------------------------
    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        if header == f"SSWS {self.token}":
            return True
        scheme, _, value = header.partition(" ")
        return scheme == "Bearer" and value in self._access_tokens

    def _token_endpoint(self, request: Request) -> Response:
        """Client credentials with a private_key_jwt assertion whose subject is our client."""
        claims = _jwt_claims(request.form.get("client_assertion", ""))
        if (
            self.client_id is None
            or request.form.get("grant_type") != "client_credentials"
            or claims.get("sub") != self.client_id
            or not str(claims.get("aud", "")).endswith("/oauth2/v1/token")
        ):
            body = {"error": "invalid_client", "error_description": "The client is not valid."}
            return json_response(body, 401)
        access_token = f"fake-access-{len(self._access_tokens)}"
        self._access_tokens.add(access_token)
        return json_response(
            {
                "token_type": "Bearer",
                "expires_in": 3600,
                "access_token": access_token,
                "scope": request.form.get("scope", ""),
            }
        )

    def _handle(self, request: Request) -> Response:
        if request.method == "POST" and request.path == "/oauth2/v1/token":
            return self._token_endpoint(request)
        if request.method != "GET":
            return self._error(
                405, "E0000022", "The endpoint does not support the provided HTTP method"
            )
        if not self._authorised(request):
            return self._error(401, "E0000011", "Invalid token provided")
        for pattern, route in self._routes:
            match = pattern.match(request.path)
            if match:
                return route(request, *match.groups())
        return self._error(404, "E0000007", f"Not found: Resource not found: {request.path} (GET)")

    def _listed(self, name: str) -> Callable[[Request], Response]:
        def route(request: Request) -> Response:
            return self._paged(request, list(self._raw[name]))

        return route

    def _keyed(self, name: str) -> Callable[[Request, str], Response]:
        def route(request: Request, key: str) -> Response:
            table = self._raw[name]
            known_user = key not in self.left_mid_scan and any(
                u["id"] == key for u in self._raw["users"]
            )
            if (
                name in {"factors", "user_roles"}
                and not known_user
                and (key not in table or key in self.left_mid_scan)
            ):
                return self._error(404, "E0000007", f"Not found: Resource not found: {key} (User)")
            return self._paged(request, list(table.get(key, [])))

        return route

    def _users(self, request: Request) -> Response:
        users = list(self._raw["users"])
        expression = request.args.get("search") or request.args.get("filter")
        if expression and self.honour_search:
            wanted = set(_STATUS_TERM.findall(expression))
            users = [u for u in users if u.get("status") in wanted]
        else:
            # As Okta does: a plain list leaves deprovisioned users out.
            users = [u for u in users if u.get("status") != "DEPROVISIONED"]
        return self._paged(request, users)

    def _user(self, request: Request, user_id: str) -> Response:
        for user in self._raw["users"] if user_id not in self.left_mid_scan else []:
            if user["id"] == user_id or user["profile"].get("login") == user_id:
                return self._ok(user)
        return self._error(404, "E0000007", f"Not found: Resource not found: {user_id} (User)")

    def _assignees(self, request: Request) -> Response:
        page, cursor = self._page(request, list(self._raw["role_assignees"]))
        links: dict[str, Any] = {}
        if cursor:
            args = {"limit": request.args.get("limit", str(self.page_size)), "after": cursor}
            links["next"] = {"href": f"{self.url}{request.path}?{urlencode(args)}"}
        return self._ok({"value": page, "_links": links})

    def _group(self, request: Request, group_id: str) -> Response:
        for group in self._raw["groups"]:
            if group["id"] == group_id:
                return self._ok(group)
        return self._error(
            404, "E0000007", f"Not found: Resource not found: {group_id} (UserGroup)"
        )

    def _group_users(self, request: Request, group_id: str) -> Response:
        members = set(self._raw["group_members"].get(group_id, []))
        return self._paged(request, [u for u in self._raw["users"] if u["id"] in members])

    def _policies(self, request: Request) -> Response:
        policy_type = request.args.get("type")
        if not policy_type:
            return self._error(400, "E0000001", "Api validation failed: type")
        return self._paged(request, [p for p in self._raw["policies"] if p["type"] == policy_type])

    def _policy(self, request: Request, policy_id: str) -> Response:
        for policy in self._raw["policies"]:
            if policy["id"] == policy_id:
                return self._ok(policy)
        return self._error(404, "E0000007", f"Not found: Resource not found: {policy_id} (Policy)")

    def _apps(self, request: Request) -> Response:
        apps = list(self._raw["apps"])
        if not self.super_admin:
            apps = [a for a in apps if a.get("name") not in FIRST_PARTY_APPS]
        match = re.search(r'name\s+eq\s+"([^"]+)"', request.args.get("filter", ""))
        if match:
            apps = [a for a in apps if a.get("name") == match.group(1)]
        return self._paged(request, apps)

    def _threats(self, request: Request) -> Response:
        return self._ok(self._raw["threat_insight"])
