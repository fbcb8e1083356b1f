"""Whatever arrives from outside, nothing crashes with a traceback."""

from __future__ import annotations

import string
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.aws.policy import grants_full_admin, has_external_id_condition, statements
from providers.aws.collectors.iam import parse_credential_report, policy_document
from scanner.config import parse_config
from scanner.errors import ConfigError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)
config_keys = st.sampled_from(
    [
        "aws",
        "providers",
        "fail_on",
        "checks",
        "regions",
        "thresholds",
        "password_policy",
        "min_length",
        "include",
        "profile",
        "access_key_max_age_days",
        "bogus",
    ]
)
config_like = st.recursive(
    json_values,
    lambda children: st.dictionaries(config_keys, children, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(config_like)
def test_any_config_is_valid_or_one_clear_config_error(data: Any) -> None:
    try:
        parse_config(data, "config file x.yaml")
    except ConfigError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("config file x.yaml")


@settings(max_examples=200)
@given(st.text(alphabet=string.printable, max_size=300))
def test_any_yaml_text_is_valid_or_one_clear_config_error(text: str) -> None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    try:
        parse_config(data, "config file x.yaml")
    except ConfigError:
        pass


report_cells = st.sampled_from(
    [
        "true",
        "false",
        "N/A",
        "no_information",
        "not_supported",
        "2024-01-01T00:00:00+00:00",
        "",
        "garbage",
    ]
)


@settings(max_examples=200)
@given(st.lists(st.lists(report_cells, min_size=22, max_size=22), max_size=5))
def test_odd_credential_reports_parse_or_raise_a_value_error(rows: list[list[str]]) -> None:
    header = (
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
        "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
        "access_key_1_last_used_date,access_key_1_last_used_region,"
        "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
        "access_key_2_last_used_date,access_key_2_last_used_region,"
        "access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,"
        "cert_2_last_rotated"
    )
    text = "\n".join([header, *(",".join(r) for r in rows)])
    try:
        parse_credential_report(text)
    except ValueError:
        pass  # the runner turns it into a collection error, never a short list


@settings(max_examples=300)
@given(json_values)
def test_policy_helpers_accept_any_document_shape(document: Any) -> None:
    doc = document if isinstance(document, dict) else {"Statement": document}
    grants_full_admin(doc)
    for statement in statements(doc):
        has_external_id_condition(statement)


@pytest.mark.parametrize("raw", ["%7Bnot json", "[]", "", None, 7, "%5B1%2C2%5D"])
def test_policy_document_decoding_of_odd_values(raw: Any) -> None:
    try:
        assert isinstance(policy_document(raw), dict)
    except ValueError:
        pass
