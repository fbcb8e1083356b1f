"""`posture checks show ID`: everything one check is: what it looks for, the criteria, the
remediation, the collections it reads, the permissions they need and the thresholds it uses."""

from __future__ import annotations

import difflib
import inspect
import re
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from scanner.check import AnyCheck
from scanner.config import PostureConfig
from scanner.errors import UsageError
from scanner.models.soc2 import CRITERIA
from scanner.output.table import SEVERITY_STYLE
from scanner.providers import load_permissions, provider_names
from scanner.terminal import text

# `ctx.config.okta.thresholds.max_super_admins`, `thresholds = ctx.config.azuread.thresholds`
# then `thresholds.privileged_roles`, `ctx.config.evidence.required_policies`.
_SECTION_FIELD = re.compile(r"config\.([a-z_]+)\.([a-z_]+)(?:\.([a-z_]+))?")
_THRESHOLD_USE = re.compile(r"\bthresholds\.([a-z_]+)")


def find_check(catalogue: Sequence[AnyCheck], check_id: str) -> AnyCheck:
    """The check of that id; unknown: one line naming the closest ids."""
    for c in catalogue:
        if c.id == check_id:
            return c
    ids = [c.id for c in catalogue]
    close = difflib.get_close_matches(check_id, ids, n=3, cutoff=0.6)
    if not close:
        close = [i for i in ids if check_id.rsplit(".", 1)[-1] in i][:3]
    hint = f"; did you mean {', '.join(close)}?" if close else " (see `posture checks list`)"
    raise UsageError(f"unknown check id {check_id!r}{hint}")


def thresholds(check: AnyCheck, config: PostureConfig) -> dict[str, Any]:
    """The configuration settings the check's module reads, with their values in `config`
    (found in its source, and kept only when they are real settings)."""
    module = sys.modules.get(check.evaluate.__module__)
    if module is None:
        return {}
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return {}
    found: dict[str, Any] = {}
    sections = set()
    for section, name, sub in _SECTION_FIELD.findall(source):
        part = getattr(config, section, None)
        if part is None or not hasattr(part, name):
            continue
        sections.add(section)
        value = getattr(part, name)
        if name == "thresholds" and sub:
            if hasattr(value, sub):
                found[f"{section}.thresholds.{sub}"] = getattr(value, sub)
        elif name != "thresholds":
            found[f"{section}.{name}"] = value
    for name in _THRESHOLD_USE.findall(source):
        for section in sections:
            limits = getattr(getattr(config, section), "thresholds", None)
            if limits is not None and hasattr(limits, name):
                found[f"{section}.thresholds.{name}"] = getattr(limits, name)
    return dict(sorted(found.items()))


def permissions_of(check: AnyCheck) -> dict[str, str | None]:
    """Each provider's own rendering of what the check's collections need (None: the provider
    calls no cloud API), in the catalogue's provider order."""
    by_provider: dict[str, set[str]] = {}
    for collection in check.meta.reads:
        by_provider.setdefault(collection.split(".", 1)[0], set()).add(collection)
    out: dict[str, str | None] = {}
    for provider in (p for p in provider_names() if p in by_provider):
        renderer = load_permissions(provider)
        out[provider] = renderer(frozenset(by_provider[provider])) if renderer else None
    return out


def _permissions(check: AnyCheck) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for provider, rendered in permissions_of(check).items():
        parts.append(Text(f"  {provider}:", style="bold"))
        if rendered is None:
            rendered = f"no cloud API: read access to the {provider} files only"
        parts.append(text_block(rendered, "    "))
    return parts


def text_block(value: str, indent: str) -> Text:
    """Several lines of generated text (a policy document), each cleaned and indented."""
    return Text("\n").join(text(indent + line) for line in value.rstrip("\n").splitlines())


def describe(check: AnyCheck, config: PostureConfig) -> RenderableType:
    m = check.meta
    heading = text(m.id, "bold")
    heading.append("  ")
    heading.append(m.severity.value, style=SEVERITY_STYLE[m.severity])
    heading.append(f"  {m.category.value}", style="dim")
    parts: list[RenderableType] = [heading, text(m.title, "bold")]
    if m.description:
        parts.append(text(m.description))
    parts.append(Text("\nSOC 2 criteria:", style="bold"))
    parts.extend(text(f"  {c}  {CRITERIA.get(c, '')}") for c in m.soc2)
    parts.append(Text("\nRemediation:", style="bold"))
    parts.append(Padding(text(m.remediation), (0, 0, 0, 2), expand=False))
    parts.append(Text("\nReads (a failed one makes the check say error):", style="bold"))
    parts.extend(text(f"  {c}") for c in m.requires)
    if m.optional:
        parts.append(Text("Reads when it can (its failure is only noted):", style="bold"))
        parts.extend(text(f"  {c}") for c in m.optional)
    if check.enabled is not None:
        state = "on" if check.runs_with(config) else "off"
        parts.append(text(f"\nOpt-in: switched {state} by the configuration."))
    parts.append(Text("\nPermissions:", style="bold"))
    parts.extend(_permissions(check))
    limits = thresholds(check, config)
    parts.append(Text("\nSettings it reads (posture.yaml, current values):", style="bold"))
    if limits:
        parts.extend(text(f"  {name}: {value}") for name, value in limits.items())
    else:
        parts.append(Text("  none"))
    return Group(*parts)


def as_json(check: AnyCheck, config: PostureConfig) -> dict[str, Any]:
    return {
        **check.meta.model_dump(mode="json"),
        "opt_in": check.enabled is not None,
        "runs_with_config": check.runs_with(config),
        "permissions": permissions_of(check),
        "settings": {k: _jsonable(v) for k, v in thresholds(check, config).items()},
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, tuple | list | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)
