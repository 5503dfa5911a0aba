"""Where sealed files live: the "documents" storage of ``STORAGES`` (the filesystem under
``var/documents`` by default, an S3-compatible bucket when configured). Only sealed bytes are
ever handed to it, under the document's id."""

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

STORAGE_ALIAS = "documents"


def document_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def write_sealed(document_id, sealed: bytes) -> str:
    """Store the sealed bytes under the document's id; the name the storage kept."""
    return document_storage().save(f"{document_id}.sealed", ContentFile(sealed))


def read_sealed(name: str) -> bytes:
    with document_storage().open(name, "rb") as handle:
        return handle.read()


def remove_sealed(name: str) -> None:
    document_storage().delete(name)
