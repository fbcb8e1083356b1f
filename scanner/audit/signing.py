"""Ed25519 signatures of the pack's manifest, with the `cryptography` package.

`manifest.sig` holds the raw 64-byte signature of `manifest.csv`'s bytes, so that
`openssl pkeyutl -verify -pubin -inkey key.pub -rawin -in manifest.csv -sigfile manifest.sig`
checks it without posture. Keys are PEM (PKCS #8 private, SubjectPublicKeyInfo public) or
OpenSSH files; the fingerprint is `sha256:` and the hex SHA-256 of the raw 32-byte public key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from scanner.errors import UsageError

MAX_KEY_BYTES = 64 * 1024


def _read(path: Path, what: str) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_KEY_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{what} {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_KEY_BYTES:
        raise UsageError(f"{what} {path}: too large for a key file")
    return data


def _load(path: Path, option: str, kind: str, load: Callable[[bytes], object]) -> object:
    data = _read(path, option)
    try:
        return load(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise UsageError(f"{option} {path}: not an {kind} (PEM or OpenSSH)") from None


def _private(data: bytes) -> object:
    if data.lstrip().startswith(b"-----BEGIN OPENSSH"):
        return serialization.load_ssh_private_key(data, password=None)
    return serialization.load_pem_private_key(data, password=None)


def _public(data: bytes) -> object:
    if data.lstrip().startswith(b"ssh-"):
        return serialization.load_ssh_public_key(data)
    return serialization.load_pem_public_key(data)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = _load(path, "--sign-key", "unencrypted Ed25519 private key", _private)
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"--sign-key {path}: not an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = _load(path, "--public-key", "Ed25519 public key", _public)
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"--public-key {path}: not an Ed25519 key")
    return key


def fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def signature_valid(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
