"""The fleet's certificates: the bureau's CA, the broker's server certificate, one client certificate per kiosk.

Why: on the kiosk listener the broker takes the certificate's CN as the username and the client id
(deploy/mosquitto/mosquitto.conf), so issuing a certificate is naming an identity; it is done in one place, with
P-256 keys, and keys are written readable by their owner only.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 20 * 365
LEAF_DAYS = 5 * 365
"""Validity of the CA and of broker and kiosk certificates, in days (a kiosk lives about as long as its cert)."""
BACKDATE = datetime.timedelta(minutes=5)
"""Certificates start this long before now, so a peer whose clock is slightly behind accepts them."""

Pair = tuple[x509.Certificate, ec.EllipticCurvePrivateKey]


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _builder(subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey,
             days: int) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - BACKDATE)
            .not_valid_after(now + datetime.timedelta(days=days)))


def make_ca(common_name: str, days: int = CA_DAYS) -> Pair:
    """A self-signed CA that may sign leaf certificates only."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name)
    cert = (_builder(name, name, key, days)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return cert, key


def issue(ca: Pair, common_name: str, *, server_names: tuple[str, ...] = (), days: int = LEAF_DAYS) -> Pair:
    """A leaf signed by `ca`: a server certificate for `server_names` (IP addresses or DNS names), else a client
    certificate whose CN is the identity."""
    ca_cert, ca_key = ca
    key = ec.generate_private_key(ec.SECP256R1())
    usage = ExtendedKeyUsageOID.SERVER_AUTH if server_names else ExtendedKeyUsageOID.CLIENT_AUTH
    builder = (_builder(_name(common_name), ca_cert.subject, key, days)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.ExtendedKeyUsage([usage]), critical=False))
    if server_names:
        builder = builder.add_extension(x509.SubjectAlternativeName([_general_name(n) for n in server_names]),
                                        critical=False)
    return builder.sign(ca_key, hashes.SHA256()), key


def _general_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _files(stem: Path) -> tuple[Path, Path]:
    return stem.parent / f"{stem.name}.pem", stem.parent / f"{stem.name}.key"


def write(pair: Pair, stem: Path) -> tuple[Path, Path]:
    """Write `stem`.pem and `stem`.key (mode 0600); FileExistsError rather than replace an identity's key."""
    cert, key = pair
    pem, key_path = _files(stem)
    for path in (pem, key_path):
        if path.exists():
            raise FileExistsError(f"{path} exists; remove it first to replace that identity")
    key_bytes = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key_bytes)
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return pem, key_path


def load(stem: Path) -> Pair:
    """Read `stem`.pem and `stem`.key (the CA, to sign with)."""
    pem, key_path = _files(stem)
    cert = x509.load_pem_x509_certificate(pem.read_bytes())
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{key_path} is not an EC private key")
    return cert, key
