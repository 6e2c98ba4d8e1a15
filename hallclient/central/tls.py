"""A hall's own certificate authority and the central's server certificate (`cryptography`).

    hallclient central make-cert ca --out DIR                      # hall-ca.pem + hall-ca.key
    hallclient central make-cert server --ca DIR --host 10.0.0.5   # central.pem + central.key

The CA's certificate (hall-ca.pem, no key) goes to every window (setting `central_ca_file`);
its key stays with whoever issues server certificates. Keys are written 0600. ECDSA P-256,
SHA-256: what TLS clients everywhere accept.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_CERT, CA_KEY = "hall-ca.pem", "hall-ca.key"
SERVER_CERT, SERVER_KEY = "central.pem", "central.key"


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _name(common: str, hall: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, hall),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_ca(out: Path, hall: str = "政务服务中心", days: int = 3650) -> tuple[Path, Path]:
    """A new hall CA in `out`: (certificate, key)."""
    out.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = _name(f"{hall} 根证书", hall)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = out / CA_CERT, out / CA_KEY
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key_path, key)
    return cert_path, key_path


def make_server_cert(ca_dir: Path, hosts: list[str], out: Path | None = None, days: int = 825) -> tuple[Path, Path]:
    """A server certificate for `hosts` (names or IP addresses) signed by the CA in `ca_dir`."""
    if not hosts:
        raise ValueError("至少需要一个主机名或 IP 地址（--host）")
    out = out or ca_dir
    out.mkdir(parents=True, exist_ok=True)
    ca_cert = x509.load_pem_x509_certificate((ca_dir / CA_CERT).read_bytes())
    ca_key = serialization.load_pem_private_key((ca_dir / CA_KEY).read_bytes(), password=None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise ValueError("CA 私钥不是本命令生成的 ECDSA 私钥")
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    now = dt.datetime.now(dt.UTC)
    hall = ca_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    cert = (x509.CertificateBuilder().subject_name(_name(hosts[0], str(hall[0].value) if hall else "hall"))
            .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    cert_path, key_path = out / SERVER_CERT, out / SERVER_KEY
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key_path, key)
    return cert_path, key_path
