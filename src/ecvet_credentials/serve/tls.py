"""`ecvet serve --dev-tls`: a self-signed certificate for localhost / 127.0.0.1 / ::1, for local
testing only, kept in HOME/tls and reused until it is within a day of expiring."""
from __future__ import annotations

import ipaddress
import os
from datetime import datetime, timedelta
from pathlib import Path

from ecvet_credentials.core.timeutil import utc_now

CERT, KEY = "dev-cert.pem", "dev-key.pem"
LIFETIME = timedelta(days=30)


def dev_certificate(home: Path, *, now: datetime | None = None) -> tuple[Path, Path]:
    """(certificate, key) paths, made if missing or about to expire. The key file is mode 0600."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from ecvet_credentials.core.errors import InputError
    from ecvet_credentials.core.files import read_bounded

    now = now or utc_now()
    directory = Path(home) / "tls"
    cert_path, key_path = directory / CERT, directory / KEY
    if cert_path.is_file() and key_path.is_file():
        try:
            cert = x509.load_pem_x509_certificate(read_bounded(cert_path, max_bytes=1024 * 1024))
            if cert.not_valid_after_utc - now > timedelta(days=1):
                return cert_path, key_path
        except (ValueError, InputError):
            pass  # unreadable: make a new one
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ecvet serve development (self-signed)")])
    san = x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                       x509.IPAddress(ipaddress.ip_address("::1"))])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + LIFETIME).add_extension(san, critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    os.chmod(key_path, 0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path
