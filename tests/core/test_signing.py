"""core.signing: Ed25519 keys from the environment, signatures that fail closed."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import signing


def test_a_generated_key_signs_and_its_public_key_verifies():
    key = signing.parse_private_key(signing.generate_private_key())
    signature = signing.sign(key, b"message")
    assert signing.is_valid(key.public_key(), b"message", signature)
    assert not signing.is_valid(key.public_key(), b"messagf", signature)


@pytest.mark.parametrize("value", ["", "not base64!", base64.b64encode(b"x" * 31).decode(), "AAAA"])
def test_a_bad_key_stops_start_up(value):
    with pytest.raises(ImproperlyConfigured, match="NRM_AUDIT_SIGNING_KEY"):
        signing.parse_private_key(value)


@pytest.mark.parametrize("signature", ["", "%%%", base64.b64encode(b"\0" * 64).decode()])
def test_a_malformed_signature_is_not_valid(signature):
    key = signing.parse_private_key(signing.generate_private_key())
    assert not signing.is_valid(key.public_key(), b"message", signature)


def test_the_key_id_is_a_fingerprint_of_the_public_key():
    one = signing.parse_private_key(signing.generate_private_key()).public_key()
    two = signing.parse_private_key(signing.generate_private_key()).public_key()
    assert len(signing.public_key_id(one)) == 16
    assert signing.public_key_id(one) != signing.public_key_id(two)
