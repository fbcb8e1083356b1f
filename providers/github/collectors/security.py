"""Secret scanning, Dependabot alerts and deploy keys of the repositories in scope.

Wire format: GitHub REST OpenAPI (github/rest-api-description, api.github.com 2022-11-28):
`repos/get` (full-repository `security_and_analysis`, shown to admins),
`repos/check-vulnerability-alerts` (204 on, 404 off), `dependabot/list-alerts-for-org` and
`dependabot/list-alerts-for-repo` (dependabot-alert: `state`, `security_advisory.severity`,
`created_at`), `repos/list-deploy-keys` (deploy-key: `read_only`).
"""

from __future__ import annotations

from typing import Any

from providers.github.collectors._scan import OrgScan, each_repo, flag, repos_of, when
from providers.github.collectors.repos import parse_repo
from providers.github.errors import GithubCallError
from scanner.collection import Collected
from scanner.inventory import github as inv


def _analysis(scan: OrgScan, repo: inv.Repo) -> inv.SecurityAnalysis:
    if repo.secret_scanning is None:
        repo = parse_repo(scan.api.get_json(f"/repos/{repo.full_name}"))
    if repo.secret_scanning is None:
        raise GithubCallError(
            f"/repos/{repo.full_name}", 403, "security_and_analysis not shown to this token"
        )
    return inv.SecurityAnalysis(
        repo=repo.full_name,
        secret_scanning=repo.secret_scanning,
        secret_scanning_push_protection=repo.secret_scanning_push_protection,
    )


def fetch_security_analysis(scan: OrgScan, got: Collected) -> tuple[inv.SecurityAnalysis, ...]:
    return each_repo(
        scan,
        got,
        inv.SECURITY_ANALYSIS,
        lambda repo: _analysis(scan, repo),
        lambda repo, why: inv.SecurityAnalysis(repo=repo.full_name, unreadable=why),
    )


def _vulnerability_alerts(scan: OrgScan, repo: inv.Repo) -> inv.VulnerabilityAlerts:
    path = f"/repos/{repo.full_name}/vulnerability-alerts"
    answer = scan.api.get(path, ok=(204, 404))
    if answer.status == 404 and repo.admin is False:
        # Without admin rights GitHub answers 404 whatever the setting.
        raise GithubCallError(path, 404, "the token has no admin rights on the repository")
    return inv.VulnerabilityAlerts(repo=repo.full_name, enabled=answer.status == 204)


def fetch_vulnerability_alerts(
    scan: OrgScan, got: Collected
) -> tuple[inv.VulnerabilityAlerts, ...]:
    return each_repo(
        scan,
        got,
        inv.VULNERABILITY_ALERTS,
        lambda repo: _vulnerability_alerts(scan, repo),
        lambda repo, why: inv.VulnerabilityAlerts(repo=repo.full_name, unreadable=why),
    )


def parse_alert(repo: str, raw: dict[str, Any]) -> inv.DependabotAlert:
    advisory = raw.get("security_advisory") or {}
    vulnerability = raw.get("security_vulnerability") or {}
    package = (vulnerability.get("package") or (raw.get("dependency") or {}).get("package")) or {}
    created = when(raw.get("created_at"))
    if created is None:
        raise ValueError("alert without created_at")
    return inv.DependabotAlert(
        repo=repo,
        number=int(raw["number"]),
        url=str(raw["url"]),
        html_url=raw.get("html_url"),
        state=str(raw.get("state") or "open"),
        severity=str(advisory.get("severity") or vulnerability.get("severity") or "unknown"),
        package=package.get("name"),
        ghsa_id=advisory.get("ghsa_id"),
        created_at=created,
    )


def _repo_alerts(scan: OrgScan, repo: inv.Repo, off: set[str]) -> inv.DependabotAlerts:
    if repo.full_name in off:
        return inv.DependabotAlerts(repo=repo.full_name)
    path = f"/repos/{repo.full_name}/dependabot/alerts"
    try:
        raw = scan.api.list_all(path, {"state": "open"})
    except GithubCallError as exc:
        if exc.status == 403 and "disabled" in exc.github_message.lower():
            # Alerts off: nothing open to judge; dependabot_alerts_disabled reports the setting.
            return inv.DependabotAlerts(repo=repo.full_name)
        raise
    return inv.DependabotAlerts(
        repo=repo.full_name, alerts=tuple(parse_alert(repo.full_name, a) for a in raw)
    )


def fetch_dependabot_alerts(scan: OrgScan, got: Collected) -> tuple[inv.DependabotAlerts, ...]:
    """One org-wide list of open alerts when the token may read it, else one list per repo."""
    repos = repos_of(got, inv.DEPENDABOT_ALERTS)
    off = {v.repo for v in got.value(inv.VULNERABILITY_ALERTS, default=()) if v.enabled is False}
    try:
        raw = scan.api.list_all(f"/orgs/{scan.org}/dependabot/alerts", {"state": "open"})
    except GithubCallError as exc:
        if not exc.denied:
            raise
        return each_repo(
            scan,
            got,
            inv.DEPENDABOT_ALERTS,
            lambda repo: _repo_alerts(scan, repo, off),
            lambda repo, why: inv.DependabotAlerts(repo=repo.full_name, unreadable=why),
        )
    by_repo: dict[str, list[inv.DependabotAlert]] = {}
    for alert in raw:
        name = str((alert.get("repository") or {}).get("full_name") or "")
        by_repo.setdefault(name.lower(), []).append(parse_alert(name, alert))
    return tuple(
        inv.DependabotAlerts(
            repo=r.full_name,
            alerts=tuple(sorted(by_repo.get(r.full_name.lower(), ()), key=lambda a: a.number)),
        )
        for r in repos
    )


def _deploy_keys(scan: OrgScan, repo: inv.Repo) -> inv.DeployKeys:
    raw = scan.api.list_all(f"/repos/{repo.full_name}/keys")
    return inv.DeployKeys(
        repo=repo.full_name,
        keys=tuple(
            inv.DeployKey(
                repo=repo.full_name,
                id=int(k["id"]),
                title=str(k.get("title") or ""),
                url=str(k["url"]),
                # read_only false (or absent): the key can push. The key never enters the inventory.
                read_only=flag(k, "read_only"),
                created_at=when(k.get("created_at")),
                last_used=when(k.get("last_used")),
            )
            for k in raw
        ),
    )


def fetch_deploy_keys(scan: OrgScan, got: Collected) -> tuple[inv.DeployKeys, ...]:
    return each_repo(
        scan,
        got,
        inv.DEPLOY_KEYS,
        lambda repo: _deploy_keys(scan, repo),
        lambda repo, why: inv.DeployKeys(repo=repo.full_name, unreadable=why),
    )
