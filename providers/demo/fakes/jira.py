"""A fake Jira on 127.0.0.1 speaking the REST v2 wire format (Server/DC) or Cloud's.

Server mode pages /rest/api/2/search with startAt/maxResults/total; Cloud mode pages
/rest/api/{2,3}/search/jql with nextPageToken/isLast, as Jira Cloud does since the old search
was retired. It understands the JQL posture sends (project, labels =, labels in, statusCategory
!=, ORDER BY created) and answers anything else with Jira's 400 error body.
"""

from __future__ import annotations

import base64
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from providers.demo.fakes.server import FakeServer, json_response

_TODO = {"id": "1", "name": "To Do", "statusCategory": {"id": 2, "key": "new", "name": "To Do"}}
_DONE = {"id": "6", "name": "Done", "statusCategory": {"id": 3, "key": "done", "name": "Done"}}
_TRANSITIONS = {
    "new": [{"id": "31", "name": "Done", "to": _DONE}],
    "done": [{"id": "41", "name": "Reopen", "to": _TODO}],
}
_CLAUSE = re.compile(
    r'^\s*(?P<field>\w+)\s*(?P<op>!=|=|in)\s*(?P<value>"(?:[^"\\]|\\.)*"|\w+|\((?:[^)"]|"(?:[^"\\]|\\.)*")*\))\s*$',
    re.IGNORECASE,
)
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|([\w-]+)')


def _unquote(text: str) -> list[str]:
    return [
        (quoted.replace('\\"', '"').replace("\\\\", "\\") if quoted else bare)
        for quoted, bare in _STRING.findall(text)
    ]


@dataclass
class FakeIssue:
    id: int
    key: str
    fields: dict[str, Any]
    comments: list[str] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)

    @property
    def category(self) -> str:
        return str(self.fields["status"]["statusCategory"]["key"])


class JiraError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class FakeJira:
    def __init__(
        self,
        token: str,
        email: str | None = "bot@example.com",
        cloud: bool = False,
        page_size: int = 2,
        project: str = "SEC",
    ) -> None:
        self.token = token
        self.email = email
        self.cloud = cloud
        self.page_size = page_size
        self.project = project
        self.issues: dict[str, FakeIssue] = {}
        self.lose_create_responses = 0
        """Create the next N issues but answer `lost_create_status`: a gateway timing out after
        the write (502), or Jira Cloud's rate limiter counting the request it served (429)."""
        self.lost_create_status = 502
        self._lock = threading.Lock()
        self.server = FakeServer(self.handle)

    # -- helpers for tests --------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.server.url

    def reset(self) -> None:
        """Forget every issue and request, so one running server can serve many tests."""
        with self._lock:
            self.issues.clear()
            self.lose_create_responses = 0
            self.lost_create_status = 502
            self.server.requests.clear()

    def by_label(self, label: str) -> list[FakeIssue]:
        return [i for i in self.issues.values() if label in i.fields["labels"]]

    def close(self, key: str) -> None:
        self.issues[key].fields["status"] = _DONE

    # -- the wire -----------------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            return header[7:] == self.token
        if header.startswith("Basic "):
            user, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            return secret == self.token and (self.email is None or user == self.email)
        return False

    def handle(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response("", status=401, headers={"WWW-Authenticate": 'Basic realm="fake"'})
        match = re.match(r"^/rest/api/(2|3)/(.*)$", request.path)
        if not match:
            return json_response({"errorMessages": ["not found"], "errors": {}}, 404)
        try:
            with self._lock:
                return self._route(request, match.group(2).rstrip("/"))
        except JiraError as exc:
            return json_response({"errorMessages": [str(exc)], "errors": {}}, exc.status)

    def _route(self, request: Request, path: str) -> Response:
        method = request.method
        if path == "serverInfo":
            kind = "Cloud" if self.cloud else "Server"
            return json_response(
                {
                    "baseUrl": self.url,
                    "version": "1001.0.0" if self.cloud else "9.12.2",
                    "versionNumbers": [1001, 0, 0] if self.cloud else [9, 12, 2],
                    "deploymentType": kind,
                    "buildNumber": 100001,
                    "serverTitle": "Fake Jira",
                }
            )
        if path == "field":
            return json_response(
                [
                    {"id": "labels", "name": "Labels", "custom": False, "clauseNames": ["labels"]},
                    {"id": "status", "name": "Status", "custom": False, "clauseNames": ["status"]},
                ]
            )
        if path == "search" and not self.cloud:
            return self._search_v2(request)
        if path == "search/jql" and self.cloud:
            return self._search_cloud(request)
        if path == "search":
            raise JiraError(410, "The requested API has been removed. Please use /search/jql.")
        if path == "issue" and method == "POST":
            return self._create(request)
        parts = path.split("/")
        if parts[0] == "issue" and len(parts) >= 2:
            issue = self._issue(parts[1])
            if len(parts) == 2 and method == "GET":
                return json_response(self._raw(issue))
            if parts[2:] == ["comment"] and method == "POST":
                body = request.get_json()
                issue.comments.append(str(body["body"]))
                return json_response({"id": str(len(issue.comments)), "body": body["body"]}, 201)
            if parts[2:] == ["transitions"]:
                return self._transitions(request, issue)
        raise JiraError(404, f"no route for {method} {path}")

    def _issue(self, key_or_id: str) -> FakeIssue:
        for issue in self.issues.values():
            if key_or_id in (issue.key, str(issue.id)):
                return issue
        raise JiraError(404, "Issue Does Not Exist")

    def _raw(self, issue: FakeIssue) -> dict[str, Any]:
        return {
            "id": str(issue.id),
            "key": issue.key,
            "self": f"{self.url}/rest/api/2/issue/{issue.id}",
            "fields": issue.fields,
        }

    def _create(self, request: Request) -> Response:
        fields = request.get_json()["fields"]
        errors = {}
        if fields.get("project", {}).get("key") != self.project:
            errors["project"] = "valid project is required"
        if not fields.get("summary"):
            errors["summary"] = "You must specify a summary of the issue."
        if any(" " in label for label in fields.get("labels", [])):
            errors["labels"] = "The label must not contain spaces."
        if errors:
            return json_response({"errorMessages": [], "errors": errors}, 400)
        issue_id = 10000 + len(self.issues) + 1
        key = f"{self.project}-{len(self.issues) + 1}"
        stored = {
            **fields,
            "status": _TODO,
            "created": f"2026-01-01T00:00:{len(self.issues):02d}.000+0000",
        }
        self.issues[key] = FakeIssue(issue_id, key, stored)
        if self.lose_create_responses > 0:
            self.lose_create_responses -= 1
            status = self.lost_create_status
            retry_after = {"Retry-After": "1"} if status == 429 else {}
            body = {"errorMessages": ["Try again"], "errors": {}}
            return json_response(body, status, retry_after)
        return json_response(
            {"id": str(issue_id), "key": key, "self": f"{self.url}/rest/api/2/issue/{issue_id}"},
            201,
        )

    def _transitions(self, request: Request, issue: FakeIssue) -> Response:
        available = _TRANSITIONS[issue.category]
        if request.method == "GET":
            return json_response({"expand": "transitions", "transitions": available})
        body = request.get_json()
        wanted = str(body["transition"]["id"])
        chosen = next((t for t in available if t["id"] == wanted), None)
        if chosen is None:
            raise JiraError(400, f"Transition id '{wanted}' is not valid for this issue.")
        issue.fields["status"] = chosen["to"]
        issue.transitions.append(str(chosen["name"]))
        for update in body.get("update", {}).get("comment", []):
            issue.comments.append(str(update["add"]["body"]))
        return Response("", status=204)

    # -- search --------------------------------------------------------------------------------

    def _matching(self, jql: str) -> list[FakeIssue]:
        where, _, order = _split_order(jql)
        result = list(self.issues.values())
        for clause in re.split(r"\s+AND\s+", where, flags=re.IGNORECASE):
            m = _CLAUSE.match(clause)
            if not m:
                raise JiraError(400, f"Error in the JQL Query: cannot parse {clause!r}.")
            result = [
                i for i in result if self._test(i, m["field"].lower(), m["op"].lower(), m["value"])
            ]
        if order and order.strip().lower().startswith("created"):
            result.sort(key=lambda i: i.id, reverse="desc" in order.lower())
        return result

    def _test(self, issue: FakeIssue, name: str, op: str, value: str) -> bool:
        values = _unquote(value)
        if name == "project":
            return bool(issue.fields["project"]["key"] == values[0]) == (op == "=")
        if name == "labels":
            labels = issue.fields["labels"]
            if op == "in":
                return any(v in labels for v in values)
            return bool(values[0] in labels) == (op == "=")
        if name == "statuscategory":
            is_cat = (
                str(issue.fields["status"]["statusCategory"]["name"]).lower() == values[0].lower()
            )
            return is_cat == (op == "=")
        raise JiraError(
            400, f"Field '{name}' does not exist or you do not have permission to view it."
        )

    def _page_size(self, request: Request) -> int:
        asked = int(request.args.get("maxResults", self.page_size))
        return max(1, min(asked, self.page_size))

    def _search_v2(self, request: Request) -> Response:
        found = self._matching(request.args.get("jql", ""))
        start = int(request.args.get("startAt", 0))
        size = self._page_size(request)
        page = found[start : start + size]
        return json_response(
            {
                "expand": "schema,names",
                "startAt": start,
                "maxResults": size,
                "total": len(found),
                "issues": [self._raw(i) for i in page],
            }
        )

    def _search_cloud(self, request: Request) -> Response:
        found = self._matching(request.args.get("jql", ""))
        start = int(request.args.get("nextPageToken") or 0)
        size = self._page_size(request)
        page = found[start : start + size]
        body: dict[str, Any] = {
            "issues": [self._raw(i) for i in page],
            "isLast": start + size >= len(found),
        }
        if not body["isLast"]:
            body["nextPageToken"] = str(start + size)
        return json_response(body)


def _split_order(jql: str) -> tuple[str, str, str]:
    parts = re.split(r"\s+ORDER\s+BY\s+", jql, maxsplit=1, flags=re.IGNORECASE)
    return parts[0], "ORDER BY", parts[1] if len(parts) > 1 else ""
