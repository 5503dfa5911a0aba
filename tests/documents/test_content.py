"""documents.content (the type by the first bytes) and documents.sealing (the file's seal)."""

import uuid

import pytest

from core.crypto import DecryptionError
from documents import sealing
from documents.content import file_type_of
from tests.documents.files import jpeg, pdf, png


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf(), "pdf"),
        (jpeg(), "jpeg"),
        (png(), "png"),
        (b"GIF89a....", None),
        (b"PK\x03\x04 a zip or docx", None),
        (b"<html><script>alert(1)</script>", None),
        (b"%PDF", None),  # cut short: not the signature
        (b"\x89PNG\r\n", None),
        (b"", None),
        (b" %PDF-1.4", None),  # the signature must come first
    ],
)
def test_file_type_is_told_by_the_first_bytes(content, expected):
    assert file_type_of(content) == expected


def ids():
    return {"case_id": uuid.uuid4(), "document_id": uuid.uuid4()}


def test_a_sealed_file_opens_with_its_key_case_and_document():
    key, where = sealing.new_data_key(), ids()
    sealed = sealing.seal(b"passport scan", data_key=key, **where)
    assert b"passport scan" not in sealed
    assert sealing.open_sealed(sealed, data_key=key, **where) == b"passport scan"


def test_each_seal_of_the_same_file_differs():
    key, where = sealing.new_data_key(), ids()
    assert sealing.seal(b"same", data_key=key, **where) != sealing.seal(
        b"same", data_key=key, **where
    )


@pytest.mark.parametrize("moved", ["case_id", "document_id"])
def test_a_sealed_file_moved_to_another_case_or_document_does_not_open(moved):
    key, where = sealing.new_data_key(), ids()
    sealed = sealing.seal(b"x", data_key=key, **where)
    with pytest.raises(DecryptionError):
        sealing.open_sealed(sealed, data_key=key, **{**where, moved: uuid.uuid4()})


def test_a_wrong_key_or_an_altered_byte_raises():
    key, where = sealing.new_data_key(), ids()
    sealed = bytearray(sealing.seal(b"certificate", data_key=key, **where))
    with pytest.raises(DecryptionError):
        sealing.open_sealed(bytes(sealed), data_key=sealing.new_data_key(), **where)
    sealed[-1] ^= 1
    with pytest.raises(DecryptionError):
        sealing.open_sealed(bytes(sealed), data_key=key, **where)
    with pytest.raises(DecryptionError):
        sealing.open_sealed(b"not sealed at all", data_key=key, **where)
