"""Whether everything protected still opens: every encrypted value of every row, under the
keys configured now, and every sealed document file (after a restore, or a key rotation)."""

from dataclasses import dataclass, field

from cases.management.commands.rotate_field_keys import encrypted_models
from core import crypto


@dataclass
class Opened:
    values: int = 0
    documents: int = 0
    failures: list = field(default_factory=list)  # (label, pk, field): never a value


def open_everything(*, progress=print) -> Opened:
    from documents.models import Document  # noqa: PLC0415 (the documents app's own reads)
    from documents.sealing import open_sealed  # noqa: PLC0415
    from documents.storage import read_sealed  # noqa: PLC0415

    opened = Opened()
    # Every row, through the base managers as rotate_field_keys walks them: a default manager
    # that hides some rows would leave them unchecked.
    for model, fields in encrypted_models():
        before = opened.values
        for row in model._base_manager.order_by("pk").iterator(chunk_size=500):
            for encrypted in fields:
                try:
                    if getattr(row, encrypted.attname) is not None:
                        opened.values += 1
                except crypto.DecryptionError:
                    opened.failures.append((model._meta.label, str(row.pk), encrypted.name))
        progress(f"{model._meta.label}: {opened.values - before} values open")
    for document in Document._base_manager.order_by("pk").iterator(chunk_size=100):
        try:
            open_sealed(
                read_sealed(document.stored_name),
                data_key=document.data_key,
                case_id=document.case_id,
                document_id=document.pk,
            )
            opened.documents += 1
        except (crypto.DecryptionError, OSError, ValueError):
            opened.failures.append(("documents.Document file", str(document.pk), "file"))
    progress(f"documents: {opened.documents} files open")
    return opened
