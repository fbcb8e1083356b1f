"""Local TLS servers on 127.0.0.1 with certificates made on the spot, for the prober's demo and
tests.

`TestCa` issues leaf certificates (RSA or EC keys, SHA-256 or SHA-1 signatures, any validity
window, any names) shaped as the CA/Browser Forum baseline requirements describe them (SAN,
key usage, serverAuth EKU, key identifiers), so a chain from it validates with its CA as the
trust anchor. `TlsServer` serves one certificate with the protocol versions and cipher suites
it is given (Python's `ssl` on the system OpenSSL; `@SECLEVEL=0` lets it serve legacy
protocols, small keys and SHA-1 as a badly configured server would) and answers one HTTP
request per connection. `HungServer` accepts TCP connections and never answers.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import subprocess
import tempfile
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KeyKind = Literal["rsa2048", "rsa1024", "ec256"]
LOOPBACK = "127.0.0.1"


def _key(kind: KeyKind) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    if kind == "ec256":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(
        public_exponent=65537, key_size=1024 if kind == "rsa1024" else 2048
    )


def _pem_key(key: CertificateIssuerPrivateKeyTypes) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass(frozen=True)
class Leaf:
    """A certificate and its key, PEM."""

    cert_pem: bytes
    key_pem: bytes


class TestCa:
    """A private root CA (what `--tls-ca-file` trusts) issuing leaf certificates."""

    __test__ = False  # not a pytest test class

    def __init__(self, name: str = "posture test CA") -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = dt.datetime.now(dt.UTC)
        public = self.key.public_key()
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(self.key, hashes.SHA256())
        )

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def write(self, path: Path) -> Path:
        path.write_bytes(self.pem)
        return path

    def issue(
        self,
        names: tuple[str, ...] = ("localhost",),
        *,
        key: KeyKind = "rsa2048",
        sha1: bool = False,
        valid_days: float = 365,
        expired: bool = False,
        self_signed: bool = False,
    ) -> Leaf:
        """A leaf for `names` (DNS names or IP addresses) valid `valid_days` from now, or one
        that ended yesterday; `self_signed` signs it with its own key instead of the CA's."""
        leaf_key = _key(key)
        now = dt.datetime.now(dt.UTC)
        if expired:
            not_before, not_after = now - dt.timedelta(days=90), now - dt.timedelta(days=1)
        else:
            not_before, not_after = now - dt.timedelta(days=1), now + dt.timedelta(days=valid_days)
        subject = _name(names[0])
        issuer_key: CertificateIssuerPrivateKeyTypes = leaf_key if self_signed else self.key
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject if self_signed else self.cert.subject)
            .public_key(leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([_general_name(n) for n in names]), False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False
            )
        )
        if not self_signed:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), False
            )
        if sha1:
            pem = self._sign_sha1(leaf_key, names, valid_days)
        else:
            pem = builder.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
        return Leaf(cert_pem=pem, key_pem=_pem_key(leaf_key))

    def _sign_sha1(
        self, key: CertificateIssuerPrivateKeyTypes, names: tuple[str, ...], valid_days: float
    ) -> bytes:
        """A leaf signed by the CA with SHA-1. cryptography signs no SHA-1, so the openssl
        command signs a request made here, keeping its extensions."""
        request = (
            x509.CertificateSigningRequestBuilder()
            .subject_name(_name(names[0]))
            .add_extension(x509.SubjectAlternativeName([_general_name(n) for n in names]), False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .sign(key, hashes.SHA256())
        )
        with tempfile.TemporaryDirectory(prefix="posture-sha1-") as tmp:
            csr, ca_cert, ca_key = (Path(tmp) / n for n in ("leaf.csr", "ca.pem", "ca.key"))
            csr.write_bytes(request.public_bytes(serialization.Encoding.PEM))
            ca_cert.write_bytes(self.pem)
            ca_key.write_bytes(_pem_key(self.key))
            done = subprocess.run(
                [
                    "openssl",
                    "x509",
                    "-req",
                    "-in",
                    str(csr),
                    "-CA",
                    str(ca_cert),
                    "-CAkey",
                    str(ca_key),
                    "-sha1",
                    "-days",
                    str(max(1, int(valid_days))),
                    "-copy_extensions",
                    "copyall",
                    "-set_serial",
                    str(x509.random_serial_number()),
                ],
                capture_output=True,
                check=True,
                timeout=30,
            )
        return done.stdout


def _general_name(name: str) -> x509.GeneralName:
    import ipaddress

    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


_TLS_VERSIONS = {
    "TLSv1": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
    "TLSv1.3": ssl.TLSVersion.TLSv1_3,
}


class _Listener:
    """A TCP listener on 127.0.0.1 (`port` if it is free, else any free port) whose connections
    go to `_connected` on a daemon thread; leaving the context closes it and every connection
    it holds."""

    def __init__(self, port: int = 0) -> None:
        self._wanted = port
        self.port = 0
        self._sock: socket.socket | None = None
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        return f"localhost:{self.port}"

    def _listen(self) -> None:
        try:
            self._sock = socket.create_server((LOOPBACK, self._wanted))
        except OSError:  # taken (another demo running): any free port will do
            self._sock = socket.create_server((LOOPBACK, 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._connected(conn)

    def _connected(self, conn: socket.socket) -> None:
        self._held.append(conn)

    def _close(self) -> None:
        self._stop.set()
        for conn in self._held:
            conn.close()
        if self._thread is not None:
            # The port is free again only once accept() has let go of the socket.
            self._thread.join(1)
        if self._sock is not None:
            self._sock.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._close()


class TlsServer(_Listener):
    """Serves `leaf` with the versions and TLS 1.2- suites given (`ciphers`: an OpenSSL
    cipher string, None for OpenSSL's defaults), answering each request with a small HTTP
    response (with HSTS when `hsts`)."""

    def __init__(
        self,
        leaf: Leaf,
        minimum: str = "TLSv1.2",
        maximum: str = "TLSv1.3",
        ciphers: str | None = None,
        hsts: bool = True,
        port: int = 0,
    ) -> None:
        super().__init__(port)
        self.leaf, self.minimum, self.maximum = leaf, minimum, maximum
        self.ciphers, self.hsts = ciphers, hsts
        self._context: ssl.SSLContext | None = None

    def _make_context(self, workdir: Path) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1, on purpose
            context.minimum_version = _TLS_VERSIONS[self.minimum]
            context.maximum_version = _TLS_VERSIONS[self.maximum]
        legacy = self.minimum in ("TLSv1", "TLSv1.1") or self.ciphers is not None
        ciphers = self.ciphers or "DEFAULT"
        # SECLEVEL=0 so OpenSSL 3 serves what a badly configured server would (TLS 1.0,
        # small keys, SHA-1); the clean servers keep the default level.
        context.set_ciphers(f"{ciphers}:@SECLEVEL=0" if legacy or self._weak_leaf() else ciphers)
        cert, key = workdir / "cert.pem", workdir / "key.pem"
        cert.write_bytes(self.leaf.cert_pem)
        key.write_bytes(self.leaf.key_pem)
        context.load_cert_chain(cert, key)
        return context

    def _weak_leaf(self) -> bool:
        cert = x509.load_pem_x509_certificate(self.leaf.cert_pem)
        public = cert.public_key()
        small = isinstance(public, rsa.RSAPublicKey) and public.key_size < 2048
        return small or isinstance(cert.signature_hash_algorithm, hashes.SHA1)

    def __enter__(self) -> TlsServer:
        with tempfile.TemporaryDirectory(prefix="posture-tls-") as tmp:
            self._context = self._make_context(Path(tmp))
        self._listen()
        return self

    def _connected(self, conn: socket.socket) -> None:
        threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        assert self._context is not None
        conn.settimeout(5)
        try:
            with self._context.wrap_socket(conn, server_side=True) as tls:
                request = b""
                while b"\r\n\r\n" not in request and len(request) < 65536:
                    chunk = tls.recv(4096)
                    if not chunk:
                        return
                    request += chunk
                headers = "Content-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n"
                if self.hsts:
                    headers += "Strict-Transport-Security: max-age=31536000\r\n"
                tls.sendall(f"HTTP/1.1 200 OK\r\n{headers}\r\nok".encode())
        except (OSError, ssl.SSLError):
            pass  # a probe's handshake with a suite or version the server refuses
        finally:
            conn.close()


class HungServer(_Listener):
    """Accepts TCP connections and never sends a byte (a hung handshake)."""

    def __enter__(self) -> HungServer:
        self._listen()
        return self


def refused_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.create_server((LOOPBACK, 0)) as sock:
        port: int = sock.getsockname()[1]
    return port
