"""A fake GitHub REST API (v3) on 127.0.0.1 serving recorded payloads from fixtures/github/<org>/.

It answers as api.github.com does (github/rest-api-description, 2022-11-28): page/per_page
pagination with `Link` rel="next"/"last" (per_page capped at `page_size`), x-ratelimit-* headers
on every answer, `basic-error` bodies (401 "Bad credentials", 404 "Not Found", 404 "Branch not
protected"), 204 for vulnerability-alerts on, the `role`/`filter`/`state`/`base`/`sort` query
parameters, and the App installation-token exchange. `fixtures/github/acme/README.md` names the
spec operation behind every file. The recorded API root is rewritten to the fake's own, and
recorded timestamps are moved so that their age relations hold on the day the fake runs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from fixtures import load
from providers.demo.fakes.server import FakeServer, FakeService, Fault, json_response

ORG_FIXTURES = "github/acme"
DOCS = "https://docs.github.com/rest"
RATE_LIMIT = 5000
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def github_error(message: str, status: int, docs: str = DOCS) -> dict[str, Any]:
    """basic-error as GitHub sends it."""
    return {"message": message, "documentation_url": docs, "status": str(status)}


def secondary_rate_limit(path_contains: str, times: int = 1, retry_after: int = 1) -> Fault:
    """A 403 secondary rate limit with retry-after (GitHub's "Rate limits for the REST API")."""
    return Fault(
        path_contains,
        403,
        github_error(
            "You have exceeded a secondary rate limit. Please wait a few minutes before you "
            "try again.",
            403,
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        ),
        {"retry-after": str(retry_after), "x-ratelimit-remaining": "4000"},
        times,
    )


def not_accessible(path_contains: str, times: int = 1_000_000) -> Fault:
    """What a fine-grained token without the permission gets (403)."""
    return Fault(
        path_contains,
        403,
        github_error("Resource not accessible by personal access token", 403),
        {},
        times,
    )


def hidden(path_contains: str, times: int = 1_000_000) -> Fault:
    """GitHub's 404 for what the token may not see (no "Branch not protected" message)."""
    return Fault(path_contains, 404, github_error("Not Found", 404), {}, times)


class FakeGithub(FakeService):
    """One fake organisation (or several sharing the fixtures, by login) behind a token."""

    def __init__(
        self,
        token: str = "ghp_fakeTokenForTests000000000000000000",  # noqa: S107 (a fake's)
        fixtures: str = ORG_FIXTURES,
        page_size: int = 100,
        now: datetime | None = None,
        installation_token: str | None = None,
        rewrite_urls: bool = True,
    ) -> None:
        """`rewrite_urls` False keeps the recorded api.github.com URLs in payloads (the demo:
        resource uids then stay the same whichever port the fake gets); Link headers always
        point at the fake."""
        self.token = token
        self.page_size = page_size
        self.installation_token = installation_token
        self.installation_tokens_issued = 0
        self._rewrite = rewrite_urls
        recording = load(f"{fixtures}/_recording.json")
        self._recorded_api = str(recording["api_url"])
        self.org = str(recording["org"])
        recorded_at = datetime.fromisoformat(str(recording["recorded_at"]))
        self._shift = (now or datetime.now(UTC)) - recorded_at
        self._fixtures = fixtures
        self.org_payload: dict[str, Any] = load(f"{fixtures}/org.json")
        self.members: list[dict[str, Any]] = load(f"{fixtures}/members.json")
        self.member_filters: dict[str, list[str]] = load(f"{fixtures}/member_filters.json")
        self.outside: list[dict[str, Any]] = load(f"{fixtures}/outside_collaborators.json")
        self.repos: list[dict[str, Any]] = load(f"{fixtures}/repos.json")
        self.rulesets: dict[str, Any] = load(f"{fixtures}/rulesets.json")
        self.alerts: list[dict[str, Any]] = load(f"{fixtures}/dependabot_alerts.json")
        self.details: dict[str, dict[str, Any]] = {
            r["name"]: load(f"{fixtures}/repos/{r['name']}.json") for r in self.repos
        }
        self.server = FakeServer(self._handle)
        self._routes = Map(
            [
                Rule(
                    "/app/installations/<int:iid>/access_tokens", endpoint="token", methods=["POST"]
                ),
                Rule("/orgs/<org>", endpoint="org"),
                Rule("/orgs/<org>/members", endpoint="members"),
                Rule("/orgs/<org>/outside_collaborators", endpoint="outside"),
                Rule("/orgs/<org>/repos", endpoint="repos"),
                Rule("/orgs/<org>/dependabot/alerts", endpoint="org_alerts"),
                Rule("/repos/<org>/<repo>", endpoint="repo"),
                Rule(
                    "/repos/<org>/<repo>/branches/<path:branch>/protection", endpoint="protection"
                ),
                Rule("/repos/<org>/<repo>/rules/branches/<path:branch>", endpoint="rules"),
                Rule("/repos/<org>/<repo>/rulesets/<int:rid>", endpoint="ruleset"),
                Rule("/repos/<org>/<repo>/contents/<path:path>", endpoint="contents"),
                Rule("/repos/<org>/<repo>/pulls", endpoint="pulls"),
                Rule("/repos/<org>/<repo>/pulls/<int:number>", endpoint="pull"),
                Rule("/repos/<org>/<repo>/pulls/<int:number>/reviews", endpoint="reviews"),
                Rule("/repos/<org>/<repo>/vulnerability-alerts", endpoint="vulnerability_alerts"),
                Rule("/repos/<org>/<repo>/dependabot/alerts", endpoint="repo_alerts"),
                Rule("/repos/<org>/<repo>/keys", endpoint="keys"),
                Rule("/repos/<org>/<repo>/collaborators", endpoint="collaborators"),
            ],
            strict_slashes=False,
        )

    # -- wire format -----------------------------------------------------------------------
    def _live(self, value: Any) -> Any:
        """The recorded value as served: the fake's own API root, timestamps moved to today.
        Keys starting with "_" other than `_links` are the fixtures' own notes, not wire data."""
        if isinstance(value, dict):
            return {
                k: self._live(v) for k, v in value.items() if not k.startswith("_") or k == "_links"
            }
        if isinstance(value, list):
            return [self._live(v) for v in value]
        if isinstance(value, str):
            if _TIMESTAMP.match(value):
                moved = datetime.fromisoformat(value) + self._shift
                return moved.strftime("%Y-%m-%dT%H:%M:%SZ")
            return value.replace(self._recorded_api, self.url) if self._rewrite else value
        return value

    def _headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(RATE_LIMIT),
            "x-ratelimit-remaining": str(RATE_LIMIT - 1),
            "x-ratelimit-reset": str(int(time.time()) + 3600),
            "x-ratelimit-used": "1",
            "x-ratelimit-resource": "core",
            "x-github-api-version-selected": "2022-11-28",
        }

    def _ok(self, payload: Any, status: int = 200) -> Response:
        return json_response(self._live(payload), status, self._headers())

    def _error(self, message: str, status: int) -> Response:
        return json_response(github_error(message, status), status, self._headers())

    def _paged(self, request: Request, items: list[Any]) -> Response:
        try:
            per_page = int(request.args.get("per_page", 30))
            page = int(request.args.get("page", 1))
        except ValueError:
            return self._error("Invalid request", 422)
        per_page = max(1, min(per_page, self.page_size, 100))
        page = max(page, 1)
        last = max(1, -(-len(items) // per_page))
        response = self._ok(items[(page - 1) * per_page : page * per_page])
        base = f"{self.url}{request.path}"
        args = {k: v for k, v in request.args.items() if k != "page"}

        def link(n: int, rel: str) -> str:
            return f'<{base}?{urlencode({**args, "page": n})}>; rel="{rel}"'

        links = []
        if page > 1:
            links += [link(page - 1, "prev"), link(1, "first")]
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if links:
            response.headers["Link"] = ", ".join(links)
        return response

    # -- requests --------------------------------------------------------------------------
    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        scheme, _, credential = header.partition(" ")
        valid = {self.token, *([self.installation_token] if self.installation_token else [])}
        return scheme.lower() in ("bearer", "token") and credential in valid

    def _handle(self, request: Request) -> Response:
        adapter = self._routes.bind("127.0.0.1")
        try:
            endpoint, matched = adapter.match(request.path, method=request.method)
        except Exception:
            return self._error("Not Found", 404)
        if endpoint == "token":
            return self._installation_token(request)
        if not self._authorised(request):
            return self._error("Bad credentials", 401)
        if request.method != "GET":
            return self._error("Not Found", 404)
        args = dict(matched)
        if str(args.get("org", "")).lower() != self.org.lower():
            return self._error("Not Found", 404)
        repo_name = args.pop("repo", None)
        args.pop("org")
        handler: Callable[..., Response] = getattr(self, f"_{endpoint}")
        if repo_name is None:
            return handler(request, **args)
        repo = next((r for r in self.repos if r["name"].lower() == repo_name.lower()), None)
        if repo is None:
            return self._error("Not Found", 404)
        return handler(request, repo, self.details[repo["name"]], **args)

    def _installation_token(self, request: Request) -> Response:
        if self.installation_token is None or not request.headers.get(
            "Authorization", ""
        ).startswith("Bearer ey"):
            return self._error("A JSON web token could not be decoded", 401)
        self.installation_tokens_issued += 1
        expires = datetime.now(UTC) + timedelta(hours=1)
        body = {
            "token": self.installation_token,
            "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "permissions": {"administration": "read", "metadata": "read"},
            "repository_selection": "all",
        }
        return json_response(body, 201, self._headers())

    # -- organisation ----------------------------------------------------------------------
    def _org(self, request: Request) -> Response:
        return self._ok(self.org_payload)

    def _members(self, request: Request) -> Response:
        members = self.members
        for key in ("role", "filter"):
            value = request.args.get(key)
            if value and value != "all":
                chosen = set(self.member_filters.get(f"{key}={value}", ()))
                members = [m for m in members if m["login"] in chosen]
        return self._paged(request, members)

    def _outside(self, request: Request) -> Response:
        return self._paged(request, self.outside)

    def _repos(self, request: Request) -> Response:
        return self._paged(request, self.repos)

    def _org_alerts(self, request: Request) -> Response:
        state = request.args.get("state")
        alerts = [a for a in self.alerts if state is None or a["state"] in state.split(",")]
        return self._paged(request, alerts)

    # -- repositories ----------------------------------------------------------------------
    def _repo(self, request: Request, repo: dict[str, Any], detail: dict[str, Any]) -> Response:
        return self._ok(repo)

    def _protection(
        self, request: Request, repo: dict[str, Any], detail: dict[str, Any], branch: str
    ) -> Response:
        if branch != repo["default_branch"] or detail["branch_protection"] is None:
            return self._error("Branch not protected", 404)
        return self._ok(detail["branch_protection"])

    def _rules(
        self, request: Request, repo: dict[str, Any], detail: dict[str, Any], branch: str
    ) -> Response:
        rules = detail["rules"] if branch == repo["default_branch"] else []
        return self._paged(request, rules)

    def _ruleset(
        self, request: Request, repo: dict[str, Any], detail: dict[str, Any], rid: int
    ) -> Response:
        ruleset = self.rulesets.get(str(rid))
        applies = any(r.get("ruleset_id") == rid for r in detail["rules"])
        if ruleset is None or not applies:
            return self._error("Not Found", 404)
        return self._ok(ruleset)

    def _contents(
        self, request: Request, repo: dict[str, Any], detail: dict[str, Any], path: str
    ) -> Response:
        found = detail["contents"].get(path)
        return self._ok(found) if found is not None else self._error("Not Found", 404)

    def _pulls(self, request: Request, repo: dict[str, Any], detail: dict[str, Any]) -> Response:
        pulls = list(detail["pulls"])
        state, base = request.args.get("state", "open"), request.args.get("base")
        pulls = [p for p in pulls if state == "all" or p["state"] == state]
        if base:
            pulls = [p for p in pulls if p["base"]["ref"] == base]
        key = "updated_at" if request.args.get("sort") == "updated" else "created_at"
        pulls.sort(key=lambda p: p[key], reverse=request.args.get("direction", "desc") == "desc")
        return self._paged(request, pulls)

    def _pull(
        self, request: Request, repo: dict[str, Any], detail: dict[str, Any], number: int
    ) -> Response:
        found = next((p for p in detail["pulls"] if p["number"] == number), None)
        if found is None:
            return self._error("Not Found", 404)
        return self._ok(
            {
                **found,
                "merged": found["merged_at"] is not None,
                "merged_by": found.get("_merged_by"),
            }
        )

    def _reviews(
        self, request: Request, repo: dict[str, Any], detail: dict[str, Any], number: int
    ) -> Response:
        return self._paged(request, detail["reviews"].get(str(number), []))

    def _vulnerability_alerts(
        self, request: Request, repo: dict[str, Any], detail: dict[str, Any]
    ) -> Response:
        if detail["vulnerability_alerts"]:
            return Response(status=204, headers=self._headers())
        return self._error("Vulnerability alerts are disabled.", 404)

    def _repo_alerts(
        self, request: Request, repo: dict[str, Any], detail: dict[str, Any]
    ) -> Response:
        if not detail["vulnerability_alerts"]:
            return self._error("Dependabot alerts are disabled for this repository.", 403)
        state = request.args.get("state")
        alerts = [
            a
            for a in self.alerts
            if a["repository"]["full_name"] == repo["full_name"]
            and (state is None or a["state"] in state.split(","))
        ]
        return self._paged(
            request, [{k: v for k, v in a.items() if k != "repository"} for a in alerts]
        )

    def _keys(self, request: Request, repo: dict[str, Any], detail: dict[str, Any]) -> Response:
        return self._paged(request, detail["keys"])

    def _collaborators(
        self, request: Request, repo: dict[str, Any], detail: dict[str, Any]
    ) -> Response:
        return self._paged(request, detail["collaborators"])
