"""TLS for the mail servers the tests start (tests/mail_servers.py): a
certificate authority of the session's own and a server certificate it signed
for 127.0.0.1 and localhost. Clients verify the servers against the CA, as
they would a real server's, never with verification turned off."""

import ipaddress
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HOST = "127.0.0.1"
# Fixed and wide validity: the certificates need no clock, so a run with the
# clock moved (pytest --at) cannot find them expired or not yet valid.
VALID_FROM = datetime(2020, 1, 1, tzinfo=UTC)
VALID_UNTIL = datetime(2100, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class MailTls:
    ca_path: Path
    cert_path: Path
    key_path: Path

    def client_context(self) -> ssl.SSLContext:
        """What a client uses to verify the servers: trusting the test CA only."""
        return ssl.create_default_context(cafile=str(self.ca_path))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, self.key_path)
        return context


def make_mail_tls(folder: Path) -> MailTls:
    """Write a new CA (ca.pem) and a server certificate and key it signed for
    127.0.0.1 (cert.pem, key.pem) into `folder`."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _signed(
        _builder("Skranke test mail CA", ca_key.public_key(), issuer=None, issuer_key=ca_key),
        ca=True,
        issuer_key=ca_key,
    )
    key = ec.generate_private_key(ec.SECP256R1())
    server = (
        _builder(HOST, key.public_key(), issuer=ca, issuer_key=ca_key)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(HOST)), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    )
    cert = _signed(server, ca=False, issuer_key=ca_key)
    tls = MailTls(folder / "ca.pem", folder / "cert.pem", folder / "key.pem")
    tls.ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    tls.cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    tls.key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return tls


def _builder(
    subject: str,
    public_key: ec.EllipticCurvePublicKey,
    *,
    issuer: x509.Certificate | None,
    issuer_key: ec.EllipticCurvePrivateKey,
) -> x509.CertificateBuilder:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_UNTIL)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )


def _signed(
    builder: x509.CertificateBuilder, *, ca: bool, issuer_key: ec.EllipticCurvePrivateKey
) -> x509.Certificate:
    """The certificate with the constraints and key usage of its role, which
    Python 3.13's strict verification (VERIFY_X509_STRICT) insists on."""
    return (
        builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(issuer_key, hashes.SHA256())
    )
