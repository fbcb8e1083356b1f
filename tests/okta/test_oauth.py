"""An OAuth 2.0 service app with a private key: the SDK gets an access token, then scans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from providers.demo.fakes.okta import FakeOktaOrg
from scanner.cli import main

CLIENT_ID = "0oa1posturescanner"


def pem_file(tmp_path: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "okta-service-app.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


def scan(
    tmp_path: Path, org: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    config = tmp_path / "posture.yaml"
    config.write_text(yaml.safe_dump({"providers": ["okta"], "okta": {"orgs": [org]}}))
    argv = ["scan", "--config", str(config), "--format", "json", "--check", "okta.logging.*"]
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_private_key_service_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    monkeypatch.delenv("OKTA_CLIENT_TOKEN", raising=False)
    key = pem_file(tmp_path)
    with FakeOktaOrg(client_id=CLIENT_ID) as fake:
        org = {"org_url": fake.url, "client_id": CLIENT_ID, "private_key_file": str(key)}
        code, out, err = scan(tmp_path, org, capsys)
        assert code == 1, err
        assert [f["check_id"] for f in json.loads(out)["findings"]] == [
            "okta.logging.no_active_log_stream"
        ]
        assert fake.requests[0] == ("POST", "/oauth2/v1/token")
        assert ("GET", "/api/v1/logStreams") in fake.requests
    assert "PRIVATE KEY" not in out + err


def test_unusable_key_file_or_rejected_client_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POSTURE_ALLOW_INSECURE_ENDPOINTS", "1")
    with FakeOktaOrg(client_id="0oa1someoneelse") as fake:
        missing = {
            "org_url": fake.url,
            "client_id": CLIENT_ID,
            "private_key_file": str(tmp_path / "nope.pem"),
        }
        code, _, err = scan(tmp_path, missing, capsys)
        assert code == 2 and "cannot read private key file" in err

        garbage = tmp_path / "garbage.pem"
        garbage.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
        bad = {"org_url": fake.url, "client_id": CLIENT_ID, "private_key_file": str(garbage)}
        code, _, err = scan(tmp_path, bad, capsys)
        assert code == 2 and "not an RSA private key" in err

        wrong_client = {
            "org_url": fake.url,
            "client_id": CLIENT_ID,
            "private_key_file": str(pem_file(tmp_path)),
        }
        code, _, err = scan(tmp_path, wrong_client, capsys)
        assert code == 2 and "rejected the credentials" in err

    half = {"org_url": "https://acme.okta.com", "client_id": CLIENT_ID}
    code, _, err = scan(tmp_path, half, capsys)
    assert code == 2 and "client_id needs private_key_file" in err


def test_service_app_asks_for_the_declared_scopes_unless_configured(tmp_path: Path) -> None:
    from providers.okta.client import _credentials
    from providers.okta.permissions import NEEDS, scopes
    from scanner.config.okta import OktaOrg

    org = OktaOrg(
        org_url="https://a.okta.com", client_id=CLIENT_ID, private_key_file=pem_file(tmp_path)
    )
    assert _credentials(org, "a.okta.com", {})["scopes"] == scopes(NEEDS)
    narrowed = org.model_copy(update={"scopes": ("okta.users.read",)})
    assert _credentials(narrowed, "a.okta.com", {})["scopes"] == ["okta.users.read"]
    with pytest.raises(ValueError, match="at least one scope"):
        OktaOrg.model_validate({**org.model_dump(), "scopes": []})
