"""`posture audit verify pack.zip`: every file against the manifest, the manifest against its
signature, and the raw scans against the hash chain the pack carries.

The first file that does not match is named; nothing else is trusted after it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from scanner.audit.pack import CHAIN_COLUMNS, MANIFEST, MANIFEST_COLUMNS, SIGNATURE
from scanner.audit.signing import fingerprint, signature_valid
from scanner.errors import UsageError
from scanner.history.chain import content_of, record_hash, rows_of
from scanner.history.store import scope_of
from scanner.models.findings import FindingsDocument

MAX_MEMBER_BYTES = 4 * 1024**3
"""No member of a real pack is this large: a bigger one is a zip bomb, not evidence."""
CHUNK = 1 << 20
REQUIRED = ("window.json", "exceptions.csv", "waivers.csv", "chain.csv", "index.html")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    bad_file: str | None = None
    reason: str = ""
    files: int = 0
    signed: bool = False
    signature_checked: bool = False

    def __str__(self) -> str:
        if not self.ok:
            return f"{self.bad_file}: {self.reason}"
        if self.signature_checked:
            signature = "the signature is valid"
        elif self.signed:
            signature = "the manifest is signed but not checked (give --public-key)"
        else:
            signature = "the manifest is not signed"
        return (
            f"all {self.files} files match the manifest; the chain matches the scans; {signature}"
        )


def _bad(path: str, reason: str) -> Verdict:
    return Verdict(False, path, reason)


def _digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            size += len(chunk)
            if size > MAX_MEMBER_BYTES:
                raise ValueError("larger than any pack file")
            h.update(chunk)
    return h.hexdigest(), size


def _manifest(text: str) -> list[dict[str, str]] | None:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != MANIFEST_COLUMNS:
        return None
    return list(reader)


def _chain(archive: zipfile.ZipFile) -> Verdict | None:
    """None when every raw scan gives its chain row's hash and every link holds."""
    reader = csv.DictReader(io.StringIO(archive.read("chain.csv").decode("utf-8")))
    if tuple(reader.fieldnames or ()) != CHAIN_COLUMNS:
        return _bad("chain.csv", "not the chain's columns")
    last_hash: dict[str, str] = {}
    for row in reader:
        scope, prev, own = row["scope"], row["prev_hash"], row["record_hash"]
        if scope in last_hash and prev != last_hash[scope]:
            return _bad(
                "chain.csv",
                f"scan {row['scan']} does not follow the scan before it in {scope} "
                "(a scan was removed or changed)",
            )
        if row["document"]:
            try:
                doc = FindingsDocument.model_validate_json(archive.read(row["document"]))
            except (KeyError, ValidationError):
                return _bad(row["document"], "missing or not a findings document")
            content = content_of(doc, scope_of(doc))
            if (
                content.scope != scope
                or record_hash(prev or None, content, rows_of(doc.findings)) != own
            ):
                return _bad(row["document"], "does not match its record hash in chain.csv")
        if own:
            last_hash[scope] = own
    return None


def verify_pack(path: Path, public_key: Ed25519PublicKey | None = None) -> Verdict:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        return _bad(str(path), f"not a readable zip ({exc})")
    with archive:
        members: dict[str, zipfile.ZipInfo] = {}
        for member in archive.infolist():
            if member.filename in members:
                # Tools disagree on which copy they extract: a second copy is never evidence.
                return _bad(member.filename, "appears twice in the pack")
            members[member.filename] = member
        if MANIFEST not in members:
            return _bad(MANIFEST, "missing")
        try:
            manifest_bytes = archive.read(MANIFEST)
            entries = _manifest(manifest_bytes.decode("utf-8"))
        except (zipfile.BadZipFile, UnicodeDecodeError, csv.Error) as exc:
            return _bad(MANIFEST, f"unreadable ({exc})")
        if entries is None:
            return _bad(MANIFEST, "not path,sha256,bytes")
        signed = SIGNATURE in members
        if public_key is not None:
            if not signed:
                return _bad(SIGNATURE, "missing: the pack is not signed")
            if not signature_valid(public_key, archive.read(SIGNATURE), manifest_bytes):
                return _bad(
                    SIGNATURE,
                    f"does not verify with the key {fingerprint(public_key)} "
                    "(wrong key, or manifest.csv was changed)",
                )
        listed = set()
        for entry in entries:
            name = entry["path"]
            listed.add(name)
            found = members.get(name)
            if found is None:
                return _bad(name, "listed in the manifest but missing from the pack")
            try:
                digest, size = _digest(archive, found)
            except (zipfile.BadZipFile, ValueError, OSError) as exc:
                return _bad(name, f"unreadable ({exc})")
            if digest != entry["sha256"] or str(size) != entry["bytes"]:
                return _bad(name, "its SHA-256 or size does not match the manifest")
        for name in members:
            if name not in listed and name not in (MANIFEST, SIGNATURE):
                return _bad(name, "not listed in the manifest")
        for required in REQUIRED:
            if required not in listed:
                return _bad(required, "missing: every pack of this format has it")
        broken = _chain(archive)
        if broken is not None:
            return broken
        return Verdict(
            True, files=len(entries), signed=signed, signature_checked=public_key is not None
        )
