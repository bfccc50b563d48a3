"""The certificate this machine makes for itself so that phones on the home network can open the app
over HTTPS, and the addresses they open it at.

No public authority vouches for it, so a browser warns the first time; the SHA-256 fingerprint it
shows can be compared with the one printed here. It is made once and kept in the instance folder,
and made again when it nears its end or when the machine's names or addresses change."""
from __future__ import annotations

import ipaddress
import os
import re
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from planner.clock import utc_now

CERT_FILE, KEY_FILE = "home-cert.pem", "home-key.pem"
# Phones refuse certificates that claim to last longer than this (Apple: 398 days), so it is renewed
# a month before its end rather than made to last for years.
VALID_FOR = timedelta(days=397)
RENEW_BEFORE = timedelta(days=30)
LOOPBACK = ("127.0.0.1", "::1")
_HOST_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


@dataclass(frozen=True)
class HomeNames:
    """What the certificate must be valid for: host names and IP addresses, loopback ones included."""
    hosts: tuple[str, ...]
    addresses: tuple[str, ...]

    def lan_addresses(self) -> tuple[str, ...]:
        return tuple(a for a in self.addresses if not ipaddress.ip_address(a).is_loopback)


@dataclass(frozen=True)
class HomeCertificate:
    cert: Path
    key: Path
    fingerprint: str  # SHA-256, as browsers show it: colon-separated hex pairs
    not_after: datetime
    made: bool  # made or renewed just now, rather than kept from an earlier start


def lan_addresses() -> tuple[str, ...]:
    """This machine's IPv4 addresses that others on its network can reach: the one its default route
    leaves from, and those its host name resolves to (loopback and link-local ones left out)."""
    found: list[str] = []
    try:  # connecting a UDP socket sends nothing; it only picks the outgoing address
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.append(probe.getsockname()[0])
    except OSError:
        pass  # no route: no network to be reached from
    try:
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    reachable = (ipaddress.ip_address(a) for a in found)
    return tuple(dict.fromkeys(str(a) for a in reachable if not (a.is_loopback or a.is_link_local
                                                                  or a.is_unspecified)))


def home_names(hostname: str | None = None, lan: tuple[str, ...] | None = None) -> HomeNames:
    """This machine's names: its host name, the name phones find it by on the home network
    (`<name>.local`), localhost, and its addresses. Either part can be given, else it is looked up."""
    full = (hostname if hostname is not None else socket.gethostname()).strip().lower().rstrip(".")
    short = full.split(".")[0]
    hosts = [name for name in (full, short, f"{short}.local") if _HOST_NAME.match(name)]
    addresses = (*LOOPBACK, *(lan if lan is not None else lan_addresses()))
    return HomeNames(hosts=tuple(dict.fromkeys([*hosts, "localhost"])), addresses=tuple(dict.fromkeys(addresses)))


def ensure_certificate(folder: Path, names: HomeNames, now: datetime | None = None) -> HomeCertificate:
    """The certificate in `folder`, kept if it still covers `names` and is not near its end, else
    made afresh (a new key too). Both files are readable by their owner only."""
    now = now or utc_now()
    cert_path, key_path = folder / CERT_FILE, folder / KEY_FILE
    kept = _load(cert_path, key_path)
    if kept is not None and _covers(kept, names) and now + RENEW_BEFORE < kept.not_valid_after_utc \
            and kept.not_valid_before_utc <= now:
        return _record(kept, cert_path, key_path, made=False)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _make(key, names, now)
    folder.mkdir(parents=True, exist_ok=True)
    _write_private(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    _write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return _record(cert, cert_path, key_path, made=True)


def certified_names(cert: x509.Certificate) -> HomeNames:
    """The host names and addresses a certificate is valid for (its subjectAltName)."""
    try:
        alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return HomeNames(hosts=(), addresses=())
    return HomeNames(hosts=tuple(alt.get_values_for_type(x509.DNSName)),
                     addresses=tuple(str(a) for a in alt.get_values_for_type(x509.IPAddress)))


def _covers(cert: x509.Certificate, names: HomeNames) -> bool:
    """Exactly these names: one more or one fewer (an address that changed) means a new certificate."""
    have = certified_names(cert)
    return set(have.hosts) == set(names.hosts) and set(have.addresses) == set(names.addresses)


def _load(cert_path: Path, key_path: Path) -> x509.Certificate | None:
    """The kept certificate, if both files are there, readable and belong together."""
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    return cert if cert.public_key() == key.public_key() else None


def _make(key: ec.EllipticCurvePrivateKey, names: HomeNames, now: datetime) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Gut Planner on {names.hosts[0]}"[:64])])
    alt = [*(x509.DNSName(h) for h in names.hosts), *(x509.IPAddress(ipaddress.ip_address(a)) for a in names.addresses)]
    return (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))  # a phone whose clock is a little behind
            .not_valid_after(now + VALID_FOR)
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))


def _write_private(path: Path, content: bytes) -> None:
    """Write through a new file made with owner-only permissions, then put it in place at once."""
    partial = path.with_name(path.name + ".new")
    partial.unlink(missing_ok=True)
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(content)
    os.replace(partial, path)


def _record(cert: x509.Certificate, cert_path: Path, key_path: Path, made: bool) -> HomeCertificate:
    fingerprint = cert.fingerprint(hashes.SHA256()).hex(":").upper()
    return HomeCertificate(cert=cert_path, key=key_path, fingerprint=fingerprint,
                           not_after=cert.not_valid_after_utc, made=made)


def addresses_to_open(host: str, port: int, scheme: str, names: HomeNames) -> list[str]:
    """Where a phone at home opens the app served on `host`: every address of this machine when it
    listens on all of them, else the one it listens on."""
    if host in ("0.0.0.0", "::", ""):
        local_names = [h for h in names.hosts if h.endswith(".local")]
        places = [*names.lan_addresses(), *local_names] or ["localhost"]
    elif host in LOOPBACK or host == "localhost":
        places = ["localhost"]
    else:
        places = [host]
    return [f"{scheme}://{f'[{p}]' if ':' in p else p}:{port}" for p in places]
