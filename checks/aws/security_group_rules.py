"""Reading security group rules: which ports a rule opens to whom."""

from __future__ import annotations

from scanner.inventory.aws.network import IpPermission

ANYWHERE_V4 = "0.0.0.0/0"
ANYWHERE_V6 = "::/0"
PORT_PROTOCOLS = frozenset({"tcp", "udp", "6", "17"})


def open_to_world(rule: IpPermission) -> tuple[str, ...]:
    return tuple(
        c for c in (*rule.ipv4_ranges, *rule.ipv6_ranges) if c in {ANYWHERE_V4, ANYWHERE_V6}
    )


def all_ports(rule: IpPermission) -> bool:
    if rule.protocol == "-1":
        return True
    return (
        rule.protocol.lower() in PORT_PROTOCOLS
        and (rule.from_port in (None, -1, 0))
        and (rule.to_port in (None, -1, 65535))
    )


def ports_opened(rule: IpPermission, ports: tuple[int, ...]) -> tuple[int, ...]:
    """Which of `ports` the rule opens (every one for an all-traffic rule)."""
    if all_ports(rule):
        return ports
    if rule.protocol.lower() not in PORT_PROTOCOLS or rule.from_port is None:
        return ()
    high = rule.to_port if rule.to_port is not None else rule.from_port
    return tuple(p for p in ports if rule.from_port <= p <= high)


def describe(rule: IpPermission) -> str:
    if rule.protocol == "-1":
        return "all traffic"
    if rule.from_port == rule.to_port:
        return f"{rule.protocol}/{rule.from_port}"
    return f"{rule.protocol}/{rule.from_port}-{rule.to_port}"
