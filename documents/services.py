"""Adding a document to a case: checked by content and size, sealed in memory, stored sealed."""

import unicodedata

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from audit.entries import record_event
from audit.events import Event
from cases.models import Case, Stage
from cases.primitives import lock_case
from core.errors import InvalidTransition
from documents import sealing, storage
from documents.content import file_type_of
from documents.models import (
    PRIVATE_BY_DEFAULT,
    Document,
    DocumentKind,
    DocumentVisibility,
)
from documents.rules import require_upload

NAME_MAX = 255


def upload_document(case: Case, *, actor, file, kind: str, visibility: str | None = None):
    """Add ``file`` (an uploaded file, held in memory) to the case as a document of ``kind``.

    The type is read from the content (PDF, JPEG or PNG), the size is at most
    ``NRM_DOCUMENT_MAX_BYTES``; ``visibility`` defaults to own for a medical certificate, else
    shared. The file is sealed in memory under a new random data key before anything is
    written (``documents.sealing``: AES-256-GCM, bound to the case and the document), and the
    data key is kept on the row, wrapped by the field keyring.

    Side effects, in one transaction with the case row locked: the sealed file in the
    "documents" storage, named by the document's id (removed again if the transaction fails);
    one Document row (auditlog's entry, the key and the file name masked); one
    "document_uploaded" entry on the case (ids, kind, type and size; never the name or the
    content). Raises PermissionDenied, then ValidationError (no file, an empty, oversized or
    unaccepted file, an unknown kind or visibility), then InvalidTransition (a closed case).
    """
    content, errors = _read(file)
    if kind not in DocumentKind.values:
        errors["kind"] = [_("Choose what kind of document this is.")]
    if visibility in (None, ""):
        visibility = (
            DocumentVisibility.OWN if kind in PRIVATE_BY_DEFAULT else DocumentVisibility.SHARED
        )
    if visibility not in DocumentVisibility.values:
        errors["visibility"] = [_("Choose who may read the document.")]
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        require_upload(actor, locked)
        if errors:
            raise ValidationError(errors)
        if locked.stage == Stage.CLOSED:
            raise InvalidTransition(_("The case is closed. Reopen it to add documents."))
        document = Document(
            case=locked,
            kind=kind,
            visibility=visibility,
            file_type=file_type_of(content),
            size=len(content),
            data_key=sealing.new_data_key(),
            original_name=_clean_name(getattr(file, "name", "")),
            uploaded_by=actor,
            organisation=actor.organisation,
        )
        sealed = sealing.seal(
            content, data_key=document.data_key, case_id=locked.pk, document_id=document.pk
        )
        del content
        document.stored_name = storage.write_sealed(document.pk, sealed)
        try:
            document.save()
            record_event(
                locked,
                actor=actor,
                event=Event.DOCUMENT_UPLOADED,
                document=str(document.pk),
                kind=kind,
                file_type=document.file_type,
                size=document.size,
                visibility=visibility,
            )
        except BaseException:
            # Without its row the sealed file is unreadable anyway; leave no orphan.
            storage.remove_sealed(document.stored_name)
            raise
    return document


def _read(file) -> tuple[bytes, dict]:
    """The file's content and the errors it gives: none, empty, too large, not accepted."""
    limit = settings.NRM_DOCUMENT_MAX_BYTES
    if file is None:
        return b"", {"file": [_("Choose a file to upload.")]}
    too_large = {
        "file": [
            _("The file is larger than %(limit)s: upload a smaller scan or photo.")
            % {"limit": filesizeformat(limit)}
        ]
    }
    if getattr(file, "oversized", False) or (file.size or 0) > limit:
        return b"", too_large
    file.seek(0)
    content = file.read(limit + 1)
    if len(content) > limit:
        return b"", too_large
    if not content:
        return b"", {"file": [_("The file is empty.")]}
    if file_type_of(content) is None:
        return b"", {
            "file": [
                _(
                    "This file is not a PDF, JPEG or PNG file (its content was checked, not its "
                    "name). Scan or save the document as PDF, JPEG or PNG."
                )
            ]
        }
    return content, {}


def _clean_name(name: str) -> str:
    """The uploaded name without control characters, bounded (kept encrypted)."""
    name = "".join(c for c in (name or "") if unicodedata.category(c)[0] != "C")
    return name.strip()[:NAME_MAX]
