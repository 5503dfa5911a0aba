"""The crypto primitives on their own: sealing, the keyring, blind indexes (no database)."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given, settings
from hypothesis import strategies as st

from core import crypto

K1 = base64.b64encode(b"\x01" * 32).decode()
K2 = base64.b64encode(b"\x02" * 32).decode()
K3 = base64.b64encode(b"\x03" * 32).decode()

KEYRING = crypto.Keyring.parse(f"k1:{K1},k2:{K2}")
CONTEXT = "cases.Person.given_name"
AD = b"cases.Person.given_name|8c5f0a0e-0000-4000-8000-000000000001"


def seal(plaintext: bytes, keyring=KEYRING, context=CONTEXT, ad=AD) -> bytes:
    return crypto.encrypt(keyring, plaintext, context=context, associated_data=ad)


def unseal(blob: bytes, keyring=KEYRING, context=CONTEXT, ad=AD) -> bytes:
    return crypto.decrypt(keyring, blob, context=context, associated_data=ad)


# --- Sealing ------------------------------------------------------------------------------------


@settings(max_examples=200)
@given(
    plaintext=st.binary(max_size=4096),
    context=st.text(min_size=1, max_size=60),
    ad=st.binary(max_size=200),
)
def test_encrypt_then_decrypt_returns_any_bytes(plaintext, context, ad):
    blob = seal(plaintext, context=context, ad=ad)
    assert unseal(blob, context=context, ad=ad) == plaintext


@given(plaintext=st.binary(max_size=512))
def test_encrypt_blob_length_is_header_nonce_ciphertext_and_tag(plaintext):
    blob = seal(plaintext)
    assert len(blob) == 2 + len("k1") + crypto.NONCE_SIZE + len(plaintext) + 16


@given(plaintext=st.binary(max_size=256))
def test_encrypt_uses_a_fresh_nonce_each_time(plaintext):
    first, second = seal(plaintext), seal(plaintext)
    assert first != second
    assert unseal(first) == unseal(second) == plaintext


@given(plaintext=st.binary(min_size=1, max_size=256), other_ad=st.binary(max_size=100))
def test_decrypt_with_other_associated_data_raises(plaintext, other_ad):
    blob = seal(plaintext)
    if other_ad == AD:
        other_ad += b"x"
    with pytest.raises(crypto.DecryptionError):
        unseal(blob, ad=other_ad)


@given(plaintext=st.binary(max_size=256))
def test_decrypt_in_another_field_context_raises(plaintext):
    # A per-field subkey: the same row id does not make a family name readable as a given name.
    blob = seal(plaintext, context="cases.Person.given_name")
    with pytest.raises(crypto.DecryptionError):
        unseal(blob, context="cases.Person.family_name")


@settings(max_examples=200)
@given(plaintext=st.binary(max_size=128), data=st.data())
def test_decrypt_of_any_flipped_bit_raises(plaintext, data):
    blob = bytearray(seal(plaintext))
    position = data.draw(st.integers(0, len(blob) - 1), label="position")
    bit = data.draw(st.integers(0, 7), label="bit")
    blob[position] ^= 1 << bit
    with pytest.raises(crypto.DecryptionError):
        unseal(bytes(blob))


@given(plaintext=st.binary(max_size=64), data=st.data())
def test_decrypt_of_a_truncated_value_raises(plaintext, data):
    blob = seal(plaintext)
    cut = data.draw(st.integers(0, len(blob) - 1), label="cut")
    with pytest.raises(crypto.DecryptionError):
        unseal(blob[:cut])


@given(junk=st.binary(max_size=80))
def test_decrypt_of_arbitrary_bytes_raises_decryption_error_only(junk):
    with pytest.raises(crypto.DecryptionError):
        unseal(junk)


def test_encrypt_uses_the_first_key_and_writes_its_id():
    blob = seal(b"x")
    assert blob[:4] == bytes([crypto.VERSION, 2]) + b"k1"
    assert crypto.key_id_of(blob) == "k1"
    reordered = crypto.Keyring.parse(f"k2:{K2},k1:{K1}")
    assert crypto.key_id_of(seal(b"x", keyring=reordered)) == "k2"


def test_decrypt_finds_a_secondary_key_by_its_id():
    old = seal(b"kept", keyring=crypto.Keyring.parse(f"k2:{K2}"))
    assert unseal(old, keyring=KEYRING) == b"kept"


def test_decrypt_without_the_key_id_raises():
    blob = seal(b"secret", keyring=crypto.Keyring.parse(f"k3:{K3}"))
    with pytest.raises(crypto.DecryptionError, match="no key with id 'k3'"):
        unseal(blob)


def test_decrypt_with_another_key_under_the_same_id_raises():
    blob = seal(b"secret")
    impostor = crypto.Keyring.parse(f"k1:{K3}")
    with pytest.raises(crypto.DecryptionError, match="authentication failed"):
        unseal(blob, keyring=impostor)


def test_key_id_of_unknown_version_raises():
    blob = bytearray(seal(b"x"))
    blob[0] = 2
    with pytest.raises(crypto.DecryptionError, match="version"):
        crypto.key_id_of(bytes(blob))


# --- Keyring ------------------------------------------------------------------------------------


def test_keyring_parse_reads_ids_in_order_and_ignores_spacing():
    keyring = crypto.Keyring.parse(f" k2:{K2} , k1:{K1},")
    assert keyring.kids == ["k2", "k1"]
    assert keyring.primary_kid == "k2"
    assert keyring.key("k1") == b"\x01" * 32


def test_keyring_repr_shows_no_key_material():
    assert repr(KEYRING) == "Keyring(kids=['k1', 'k2'])"
    assert K1 not in repr(KEYRING)


def test_generate_key_entry_parses():
    entry = crypto.generate_key_entry("dev1")
    keyring = crypto.Keyring.parse(entry)
    assert keyring.kids == ["dev1"]
    assert len(keyring.key("dev1")) == crypto.KEY_SIZE
    assert crypto.generate_key_entry("dev1") != entry


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        (" , ,", "is empty"),
        (None, "is empty"),
        (K1, "kid:base64key"),
        (f":{K1}", "kid:base64key"),
        (f"k 1:{K1}", "kid:base64key"),
        (f"clé:{K1}", "kid:base64key"),
        (f"{'k' * 33}:{K1}", "kid:base64key"),
        ("k1:not base64!", "not valid base64"),
        ("k1:QUJD", "must be 32 bytes, not 3"),
        (f"k1:{K1[:-1]}", "not valid base64"),
        ("k1:" + base64.b64encode(bytes(16)).decode(), "must be 32 bytes, not 16"),
        ("k1:" + base64.b64encode(bytes(64)).decode(), "must be 32 bytes, not 64"),
        ("k1:", "must be 32 bytes, not 0"),
        (f"k1:{K1},k1:{K2}", "appears twice"),
        (f"k1:{K1},k2", "kid:base64key"),
    ],
)
def test_keyring_parse_rejects_malformed_values(value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.Keyring.parse(value)


def test_keyring_parse_error_never_contains_the_key():
    bad = base64.b64encode(b"\x07" * 31).decode()
    with pytest.raises(ImproperlyConfigured) as error:
        crypto.Keyring.parse(f"k1:{bad}")
    assert bad not in str(error.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "at least 32"),
        ("***", "not valid base64"),
        (base64.b64encode(b"\x00" * 31).decode(), "at least 32"),
    ],
)
def test_parse_blind_index_key_rejects_malformed_values(value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.parse_blind_index_key(value)


# --- Blind indexes ------------------------------------------------------------------------------

BLIND_KEY = b"\x09" * 32


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("Élodie", "elodie"),
        ("ÉLODIE", "elodie"),
        ("  elodie\t", "elodie"),
        ("Fatima-Zahra", "fatima zahra"),
        ("Fatima   Zahra", "fatima zahra"),
        ("N'Guessan", "n guessan"),
        ("Aïcha", "aicha"),
        ("Straße", "strasse"),
        ("ｍａｒｉａ", "maria"),
        ("عَائِشَة", "عايشة"),  # harakat dropped; hamza seat folded
    ],
)
def test_normalise_text_ignores_case_accents_punctuation_and_spacing(variant, canonical):
    assert crypto.normalise_text(variant) == canonical


@given(st.text())
def test_normalise_text_is_idempotent(value):
    once = crypto.normalise_text(value)
    assert crypto.normalise_text(once) == once


LATIN = "abcdefghijklmnopqrstuvwxyzéèêëàâäçôöîïûüñ"


@given(
    st.lists(st.text(alphabet=LATIN, min_size=1, max_size=12), min_size=1, max_size=4),
    st.data(),
)
def test_blind_index_is_insensitive_to_case_and_spacing(words, data):
    plain = " ".join(words)
    upper = plain.upper()
    spaced = data.draw(st.sampled_from(["  ", " - ", "\t", " , "])).join(words).title()
    index = crypto.blind_index(BLIND_KEY, "name_dob", plain)
    assert crypto.blind_index(BLIND_KEY, "name_dob", upper) == index
    assert crypto.blind_index(BLIND_KEY, "name_dob", spaced) == index


def test_blind_index_is_insensitive_to_accents():
    assert crypto.blind_index(BLIND_KEY, "name_dob", "Benoît", "Hélène") == crypto.blind_index(
        BLIND_KEY, "name_dob", "benoit", "HELENE"
    )


def test_blind_index_differs_per_purpose_and_key():
    by_name = crypto.blind_index(BLIND_KEY, "name_dob", "AB123456")
    assert crypto.blind_index(BLIND_KEY, "document", "AB123456") != by_name
    assert crypto.blind_index(b"\x0a" * 32, "name_dob", "AB123456") != by_name


def test_blind_index_keeps_parts_apart():
    assert crypto.blind_index(BLIND_KEY, "name_dob", "ab", "c") != crypto.blind_index(
        BLIND_KEY, "name_dob", "a", "bc"
    )


def test_blind_index_is_a_hex_hmac_without_the_value():
    index = crypto.blind_index(BLIND_KEY, "document", "AB123456")
    assert len(index) == 64
    assert int(index, 16) >= 0
    assert "ab123456" not in index and b"ab123456".hex() not in index
