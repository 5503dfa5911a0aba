"""Authenticated encryption of protected fields, and blind indexes.

Format of a stored value (bytes)::

    version (1 byte) | key id length (1 byte) | key id (ASCII) | nonce (12 bytes) | ciphertext+tag

AES-256-GCM with a random 96-bit nonce. Each field gets its own subkey derived with HKDF-SHA256
from the keyring key, and the associated data names the field and the row, so a value copied to
another field or another row fails to decrypt instead of showing the wrong person's data.

Keys come from the environment only (``FIELD_ENCRYPTION_KEYS`` = ``kid:base64key,...``; the first
encrypts, all decrypt) and are never derived from ``SECRET_KEY``. The blind-index key
(``BLIND_INDEX_KEY``) is separate and does not rotate with them.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured

VERSION = 1
NONCE_SIZE = 12
KEY_SIZE = 32
_KID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


class DecryptionError(Exception):
    """A protected value could not be opened: wrong key, unknown key id, or tampered data.

    Raised instead of returning anything that could pass for data.
    """


@dataclass(frozen=True)
class Keyring:
    keys: tuple[tuple[str, bytes], ...]

    @property
    def primary_kid(self) -> str:
        return self.keys[0][0]

    @property
    def kids(self) -> list[str]:
        return [kid for kid, _ in self.keys]

    def key(self, kid: str) -> bytes:
        for candidate, key in self.keys:
            if candidate == kid:
                return key
        raise DecryptionError(f"no key with id {kid!r} in FIELD_ENCRYPTION_KEYS")

    @classmethod
    def parse(cls, value: str, *, name: str = "FIELD_ENCRYPTION_KEYS") -> Keyring:
        entries = [item.strip() for item in (value or "").split(",") if item.strip()]
        if not entries:
            raise ImproperlyConfigured(
                f"{name} is empty. Set it to kid:base64key (32 random bytes), e.g. k1: followed "
                "by the output of: openssl rand -base64 32"
            )
        keys = []
        for entry in entries:
            kid, sep, encoded = entry.partition(":")
            if not sep or not _KID.match(kid):
                raise ImproperlyConfigured(
                    f"{name}: each entry must be kid:base64key with a short id of letters, digits, "
                    "'.', '_' or '-'."
                )
            try:
                key = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise ImproperlyConfigured(
                    f"{name}: the key {kid!r} is not valid base64."
                ) from None
            if len(key) != KEY_SIZE:
                raise ImproperlyConfigured(
                    f"{name}: the key {kid!r} must be {KEY_SIZE} bytes, not {len(key)}."
                )
            if kid in {k for k, _ in keys}:
                raise ImproperlyConfigured(f"{name}: the key id {kid!r} appears twice.")
            keys.append((kid, key))
        return cls(tuple(keys))

    def __repr__(self):  # never show key material
        return f"Keyring(kids={self.kids!r})"


def generate_key_entry(kid: str) -> str:
    return f"{kid}:{base64.b64encode(os.urandom(KEY_SIZE)).decode()}"


@functools.lru_cache(maxsize=1024)
def _cipher(key: bytes, context: str) -> AESGCM:
    subkey = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_SIZE,
        salt=None,
        info=b"nrm/field/v1/" + context.encode(),
    ).derive(key)
    return AESGCM(subkey)


def encrypt(keyring: Keyring, plaintext: bytes, *, context: str, associated_data: bytes) -> bytes:
    kid = keyring.primary_kid
    nonce = os.urandom(NONCE_SIZE)
    sealed = _cipher(keyring.key(kid), context).encrypt(nonce, plaintext, associated_data)
    kid_bytes = kid.encode("ascii")
    return bytes([VERSION, len(kid_bytes)]) + kid_bytes + nonce + sealed


def key_id_of(blob: bytes) -> str:
    if len(blob) < 2 or blob[0] != VERSION:
        raise DecryptionError("unknown format version")
    length = blob[1]
    return blob[2 : 2 + length].decode("ascii", errors="replace")


def decrypt(keyring: Keyring, blob: bytes, *, context: str, associated_data: bytes) -> bytes:
    blob = bytes(blob)
    kid = key_id_of(blob)
    offset = 2 + blob[1]
    nonce, sealed = blob[offset : offset + NONCE_SIZE], blob[offset + NONCE_SIZE :]
    if len(nonce) != NONCE_SIZE or len(sealed) < 16:
        raise DecryptionError("truncated value")
    try:
        return _cipher(keyring.key(kid), context).decrypt(nonce, sealed, associated_data)
    except InvalidTag:
        raise DecryptionError("authentication failed: wrong key or altered value") from None


# --- Blind indexes ------------------------------------------------------------------------------


def normalise_text(value: str) -> str:
    """Case-, accent-, punctuation- and spacing-insensitive form of a name or number."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.findall(r"\w+", stripped.casefold())
    return " ".join(words)


def blind_index(key: bytes, purpose: str, *parts: str) -> str:
    """HMAC-SHA256 over the normalised parts, with a subkey per purpose; hex digest."""
    subkey = hmac.new(key, b"nrm/blind-index/v1/" + purpose.encode(), hashlib.sha256).digest()
    message = "\x1f".join(normalise_text(p) for p in parts).encode()
    return hmac.new(subkey, message, hashlib.sha256).hexdigest()


def parse_blind_index_key(value: str) -> bytes:
    try:
        key = base64.b64decode((value or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured("BLIND_INDEX_KEY is not valid base64.") from None
    if len(key) < KEY_SIZE:
        raise ImproperlyConfigured(f"BLIND_INDEX_KEY must be at least {KEY_SIZE} random bytes.")
    return key
