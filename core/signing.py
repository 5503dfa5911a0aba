"""Ed25519 signatures for the audit chain's checkpoints (the ``cryptography`` package).

The private key is 32 bytes, base64 in the environment (``NRM_AUDIT_SIGNING_KEY``); the public
key, derived from it, is all a verifier needs. A bad key stops start-up with
``ImproperlyConfigured``; a bad signature is ``False``, never an exception the caller forgets.
"""

import base64
import binascii
import hashlib
import os

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.exceptions import ImproperlyConfigured


def generate_private_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def parse_private_key(value: str) -> Ed25519PrivateKey:
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            "NRM_AUDIT_SIGNING_KEY must be the base64 of a 32-byte Ed25519 private key "
            "(see the README, Generating keys)."
        )
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_text(public_key: Ed25519PublicKey) -> str:
    """Base64 of the 32-byte public key: what ``manage.py audit_public_key`` prints for the
    auditor, and what ``NRM_AUDIT_VERIFY_KEY`` and ``verify_audit_log --public-key`` read."""
    return base64.b64encode(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def parse_public_key(value: str, *, source: str = "NRM_AUDIT_VERIFY_KEY") -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            f"{source} must be the base64 of a 32-byte Ed25519 public key "
            "(what `manage.py audit_public_key` prints)."
        )
    return Ed25519PublicKey.from_public_bytes(raw)


def public_key_id(public_key: Ed25519PublicKey) -> str:
    """A short fingerprint of the public key, printed so an auditor knows which key signed."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(private_key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(private_key.sign(message)).decode()


def is_valid(public_key: Ed25519PublicKey, message: bytes, signature: str) -> bool:
    try:
        public_key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
