"""A document's file, sealed: AES-256-GCM under the document's own random key.

Stored format (bytes)::

    b"NRMD" | version (1 byte) | nonce (12 bytes) | ciphertext+tag

The associated data binds the ciphertext to its case and its document, so a sealed file copied
over another document's (or moved to another case) fails to open instead of showing another
person's papers. The data key is the document row's, wrapped by the field keyring
(``Document.data_key``); a wrong key or an altered byte raises ``DecryptionError``.
"""

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.crypto import KEY_SIZE, NONCE_SIZE, DecryptionError

MAGIC = b"NRMD"
VERSION = 1
HEADER = len(MAGIC) + 1 + NONCE_SIZE
TAG_SIZE = 16


def new_data_key() -> str:
    """A random 256-bit data key, as the text ``Document.data_key`` stores (base64)."""
    return base64.b64encode(os.urandom(KEY_SIZE)).decode("ascii")


def associated_data(*, case_id, document_id) -> bytes:
    return f"nrm-document:v{VERSION}:{case_id}:{document_id}".encode()


def _cipher(data_key: str) -> AESGCM:
    key = base64.b64decode(data_key, validate=True)
    if len(key) != KEY_SIZE:
        raise DecryptionError("a document's data key must be 32 bytes")
    return AESGCM(key)


def seal(plaintext: bytes, *, data_key: str, case_id, document_id) -> bytes:
    nonce = os.urandom(NONCE_SIZE)
    sealed = _cipher(data_key).encrypt(
        nonce, plaintext, associated_data(case_id=case_id, document_id=document_id)
    )
    return MAGIC + bytes([VERSION]) + nonce + sealed


def open_sealed(blob: bytes, *, data_key: str, case_id, document_id) -> bytes:
    blob = bytes(blob)
    if len(blob) < HEADER + TAG_SIZE or not blob.startswith(MAGIC):
        raise DecryptionError("not a sealed document")
    if blob[len(MAGIC)] != VERSION:
        raise DecryptionError("unknown sealed document version")
    nonce = blob[len(MAGIC) + 1 : HEADER]
    try:
        return _cipher(data_key).decrypt(
            nonce, blob[HEADER:], associated_data(case_id=case_id, document_id=document_id)
        )
    except InvalidTag:
        raise DecryptionError("authentication failed: wrong key or altered document") from None
