"""The manifest's Ed25519 signature: verified with the right key, refused with another."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scanner.audit.signing import fingerprint
from scanner.exit_codes import ExitCode
from tests.audit.conftest import audit, posture


def _keys(tmp_path: Path, name: str) -> tuple[Path, Path, Ed25519PrivateKey]:
    key = Ed25519PrivateKey.generate()
    private = tmp_path / f"{name}.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public = tmp_path / f"{name}.pub"
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
    )
    return private, public, key


def test_signed_pack_verifies_with_its_key_only(
    tmp_path: Path, imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public, key = _keys(tmp_path, "signer")
    _, other, _ = _keys(tmp_path, "someone-else")
    pack = tmp_path / "pack.zip"
    code, _, _ = audit(
        capsys,
        imported,
        pack,
        *("--from", "2026-03-01", "--to", "2026-03-31", "--sign-key", str(private)),
    )
    assert code == ExitCode.OK
    with zipfile.ZipFile(pack) as z:
        window = json.loads(z.read("window.json"))
        assert len(z.read("manifest.sig")) == 64
    assert window["signature"]["public_key_fingerprint"] == fingerprint(key.public_key())
    assert len(window["days"]) == 31

    code, out, _ = posture(capsys, "audit", "verify", str(pack), "--public-key", str(public))
    assert code == ExitCode.OK and "the signature is valid" in out
    code, _, err = posture(capsys, "audit", "verify", str(pack), "--public-key", str(other))
    assert code == ExitCode.TAMPERED and "manifest.sig: does not verify" in err
    code, out, _ = posture(capsys, "audit", "verify", str(pack))
    assert code == ExitCode.OK and "signed but not checked" in out


def test_a_bad_key_file_is_one_line_exit_2(
    tmp_path: Path, imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("not a key")
    code, _, err = audit(
        capsys,
        imported,
        tmp_path / "p.zip",
        *("--from", "2026-03-01", "--to", "2026-03-02", "--sign-key", str(junk)),
    )
    assert code == ExitCode.USAGE and len(err.strip().splitlines()) == 1 and "--sign-key" in err
