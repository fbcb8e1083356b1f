"""Every defect of the lab is found by exactly the check that names it; the clean twins pass
everything; an endpoint that cannot be probed is an error, never a pass."""

from __future__ import annotations

import pytest

from scanner.models.enums import Status
from tests.tls.conftest import CONNECT_TIMEOUT, Lab

LEGACY = "tls.protocol.legacy_version_accepted"
WEAK_SUITE = "tls.cipher.weak_suite_accepted"
EXPIRED = "tls.certificate.expired"
EXPIRING = "tls.certificate.expiring_soon"
UNTRUSTED = "tls.certificate.chain_untrusted"
WRONG_NAME = "tls.certificate.hostname_mismatch"
WEAK_KEY = "tls.certificate.weak_key"
WEAK_SIGNATURE = "tls.certificate.weak_signature"
HSTS = "tls.http.hsts_missing"
DISAGREES = "tls.configuration.live_disagrees_with_policy"

EXPECTED: dict[str, set[str]] = {
    "clean": set(),
    "clean_ec": set(),
    # TLS 1.0 and 1.1, CBC suites with TLS 1.0, and a cloud policy that says TLS 1.2+
    "tls10": {LEGACY, WEAK_SUITE, DISAGREES},
    "expired": {EXPIRED},
    "expiring": {EXPIRING},
    "self_signed": {UNTRUSTED},
    "wrong_name": {WRONG_NAME},
    "rsa1024": {WEAK_KEY},
    "sha1": {WEAK_SIGNATURE},
    "weak_suite": {WEAK_SUITE},
    "no_hsts": {HSTS},
    "null_only": {WEAK_SUITE},
    "anon_only": {WEAK_SUITE, UNTRUSTED},  # and no certificate at all
}
WEAK_ONLY = {"null_only", "anon_only"}


@pytest.mark.parametrize("server", sorted(EXPECTED))
def test_each_server_fails_exactly_its_defects(lab: Lab, server: str) -> None:
    verdicts = lab.verdicts(server)
    assert lab.failing(server) == EXPECTED[server], verdicts
    assert Status.ERROR not in verdicts.values()
    # every check that applies says something: the clean twin passes each one
    judged = {c for c, s in verdicts.items() if s in (Status.PASS, Status.FAIL)}
    every = {LEGACY, WEAK_SUITE, UNTRUSTED, WRONG_NAME, WEAK_KEY, WEAK_SIGNATURE, HSTS}
    assert (every if server not in WEAK_ONLY else {LEGACY, WEAK_SUITE, UNTRUSTED}) <= judged


def test_an_endpoint_with_only_weak_suites_is_seen_not_unreachable(lab: Lab) -> None:
    endpoints = {e.uid: e for e in lab.inventory.endpoints}
    null_only = endpoints[lab.endpoints["null_only"]]
    assert [(s.protocol, s.name) for s in null_only.accepted_suites] == [
        ("TLSv1.2", "TLS_RSA_WITH_NULL_SHA256")
    ]
    assert null_only.chain_trusted is True and null_only.key_bits == 2048
    anon_only = endpoints[lab.endpoints["anon_only"]]
    assert anon_only.accepted_suites and all(s.anonymous for s in anon_only.accepted_suites)
    assert anon_only.certificate_subject is None


def test_the_clean_server_is_seen_as_it_is(lab: Lab) -> None:
    (clean,) = [e for e in lab.inventory.endpoints if e.uid == lab.endpoints["clean"]]
    assert clean.source == "probed"
    assert clean.protocols == ("TLSv1.2", "TLSv1.3")
    assert clean.chain_trusted is True and clean.hostname_matches is True
    assert (clean.key_type, clean.key_bits, clean.signature_hash) == ("RSA", 2048, "sha256")
    assert clean.hsts_max_age == 31536000
    assert {s.protocol for s in clean.accepted_suites} == {"TLSv1.2", "TLSv1.3"}


def test_the_defects_are_in_the_evidence(lab: Lab) -> None:
    by_check = {(check, r.resource.uid): r for check, r in lab.results if r.status is Status.FAIL}
    legacy = by_check[(LEGACY, lab.endpoints["tls10"])]
    assert legacy.evidence["weak_protocols"] == ["TLSv1", "TLSv1.1"]
    suites = by_check[(WEAK_SUITE, lab.endpoints["weak_suite"])].evidence["weak_suites"]
    assert suites == [
        {"protocol": "TLSv1.2", "name": "TLS_RSA_WITH_NULL_SHA256", "why": "no encryption (NULL)"}
    ]
    untrusted = by_check[(UNTRUSTED, lab.endpoints["self_signed"])]
    assert "self-signed" in str(untrusted.evidence["chain_error"])
    assert by_check[(WEAK_KEY, lab.endpoints["rsa1024"])].evidence["key_bits"] == 1024
    assert by_check[(WEAK_SIGNATURE, lab.endpoints["sha1"])].evidence["signature_hash"] == "sha1"


@pytest.mark.parametrize(
    ("server", "words"),
    [("refused", "refused the connection"), ("hung", "did not answer a TLS handshake")],
)
def test_an_endpoint_that_cannot_be_probed_is_an_error(lab: Lab, server: str, words: str) -> None:
    key = lab.endpoints[server]
    (outcome,) = [o for o in lab.inventory.outcomes if o.scope == key]
    assert outcome.outcome.value == "error" and words in outcome.message
    assert key not in {e.uid for e in lab.inventory.endpoints}
    verdicts = lab.verdicts(server)
    assert verdicts and set(verdicts.values()) == {Status.ERROR}


def test_the_hung_handshake_is_bounded_by_the_timeout(lab: Lab) -> None:
    # sslyze alone retries a silent server for 20 s and more; the preflight gives up at once
    assert lab.probe_seconds < 10 * CONNECT_TIMEOUT + 20


def test_probe_tls_says_what_the_configuration_claims_and_what_the_wire_shows(lab: Lab) -> None:
    results = {
        r.resource.uid: r
        for check, r in lab.results
        if check == DISAGREES and r.status is not Status.ERROR  # the refused and hung ones
    }
    assert set(results) == {lab.endpoints["clean"], lab.endpoints["tls10"]}
    assert results[lab.endpoints["clean"]].status is Status.PASS
    legacy = results[lab.endpoints["tls10"]]
    assert legacy.status is Status.FAIL
    assert "ELBSecurityPolicy-TLS13-1-2-2021-06 allowing TLSv1.2, TLSv1.3" in legacy.message
    assert "accepts TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 when probed" in legacy.message
    assert legacy.evidence["beyond_policy"] == ["TLSv1", "TLSv1.1"]
    (protocol,) = [
        r
        for check, r in lab.results
        if check == LEGACY and r.resource.uid == lab.endpoints["tls10"]
    ]
    assert "Its configuration says otherwise" in protocol.message
    # the HTTP listener was not probed: only the lab's own endpoints and the two listeners
    assert {e.uid for e in lab.inventory.endpoints} <= set(lab.endpoints.values())
