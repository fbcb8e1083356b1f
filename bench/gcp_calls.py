"""Every Google API method a GCP organization scan calls, counted against the fake organization
(fixtures/gcp: three active projects, a folder, the organization, the Workspace directory).

    PYTHONPATH=. python -m bench.gcp_calls            # a Markdown table on stdout

Each logged request is mapped back to its declaration in providers.gcp.permissions.NEEDS (the
method's IAM permission names it) and counted per run and per scanned project (a request that
names no project, or a folder or the organization, counts for the run only). The fake pages at
100 items, so the counts are those of an organization whose lists fit in one page.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Iterable

from checks.registry import all_checks, select_checks
from providers.demo.fakes.gcp import FakeGcp
from providers.gcp.clients import ENDPOINT_ENV
from providers.gcp.permissions import NEEDS, Call
from scanner.config import PostureConfig
from scanner.config.gcp import GcpConfig
from scanner.endpoints import ALLOW_INSECURE_ENV
from scanner.scan import ScanPlan, run_scan

ORGANIZATION = "482019374651"


def call_of(method: str, logged: str) -> Call | None:
    """The declared call a request the fake logged matches (`/<api>/<path>?query`)."""
    api, _, rest = logged.lstrip("/").partition("/")
    path = "/" + rest.split("?", 1)[0]
    for need in NEEDS.values():
        for call in need.calls:
            if call.api == api and call.matches(method, path):
                return call
    return None


def project_of(logged: str, projects: Iterable[str], buckets: dict[str, str]) -> str | None:
    for project in projects:
        if re.search(rf"(/projects/|project=){re.escape(project)}([/:&?]|$)", logged):
            return project
    found = re.search(r"/storage/v1/b/([^/?]+)", logged)
    return buckets.get(found.group(1)) if found else None


def method_of(call: Call) -> str:
    """The declared path with its id patterns written as {id}."""
    path = re.sub(r"\[\^[^]]*\]\+", "{id}", call.path)
    return re.sub(r"\(\?:([^)]*)\)", r"{\1}", path)


def measure() -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str, str]], list[str]]:
    with FakeGcp(page_size=100) as fake:
        os.environ[ALLOW_INSECURE_ENV] = "1"
        os.environ[ENDPOINT_ENV] = fake.url
        gcp = GcpConfig.model_validate(
            {"organization": ORGANIZATION, "workspace_admin": "admin@acme.example"}
        )
        checks = select_checks(all_checks(), ["gcp"])
        run_scan(ScanPlan(providers=("gcp",), checks=checks, config=PostureConfig(gcp=gcp)))
        projects = sorted(fake.projects)
        buckets = {b["name"]: p for p, d in fake.projects.items() for b in d.get("buckets", [])}
        per_run: Counter[tuple[str, str]] = Counter()
        per_project: Counter[tuple[str, str, str]] = Counter()
        for method, logged in fake.requests:
            call = call_of(method, logged)
            key = (call.api, f"{method} {method_of(call)}") if call else ("?", f"{method} {logged}")
            per_run[key] += 1
            project = project_of(logged, projects, buckets)
            if project is not None:
                per_project[(*key, project)] += 1
    return per_run, per_project, projects


def main() -> None:
    per_run, per_project, projects = measure()
    out = sys.stdout
    names = ", ".join(projects)
    head = "| API | method (path under https://API.googleapis.com) | per run | per project"
    out.write(f"{head} ({names}) |\n")
    out.write("|---|---|---|---|\n")
    for (api, method), count in sorted(per_run.items()):
        each = [str(per_project.get((api, method, p), 0)) for p in projects]
        out.write(f"| {api} | `{method}` | {count} | {' / '.join(each)} |\n")
    out.write(f"| | **total** | **{sum(per_run.values())}** | |\n")


if __name__ == "__main__":
    main()
