"""Documents of a case: identity papers, medical certificates, signed consent forms, court
papers. The row holds what the file is (kind, checked type, size, who, when) and its per-file
data key, wrapped by the field keyring (an ``EncryptedField``, so ``rotate_field_keys`` re-wraps
it); the file itself is stored sealed (``documents.sealing``), under the document's id, in the
"documents" storage. Nothing here or in the storage holds a byte of the file in clear.
"""

import uuid

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import crypto
from core.fields import EncryptedField, Sealed


class DocumentKind(models.TextChoices):
    IDENTITY_DOCUMENT = "identity_document", _("Identity document")
    MEDICAL_CERTIFICATE = "medical_certificate", _("Medical certificate")
    CONSENT_FORM = "consent_form", _("Signed consent form")
    COURT_DOCUMENT = "court_document", _("Court document")
    OTHER = "other", _("Other")


class DocumentVisibility(models.TextChoices):
    # The words of the notes' visibility: a document is read as a note is.
    SHARED = "shared", _("All organisations on the case")
    OWN = "own", _("My organisation only")


# Like medical notes, a medical certificate stays within its organisation unless shared.
PRIVATE_BY_DEFAULT = frozenset({DocumentKind.MEDICAL_CERTIFICATE})


class FileType(models.TextChoices):
    """The types a document may have, as its content shows them (``documents.content``)."""

    PDF = "pdf", _("PDF")
    JPEG = "jpeg", _("JPEG image")
    PNG = "png", _("PNG image")


MEDIA_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
}
EXTENSIONS = {FileType.PDF: "pdf", FileType.JPEG: "jpg", FileType.PNG: "png"}


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The shared documents and the user's organisation's own (the case's visibility is
        the selectors' to add: ``documents.selectors``)."""
        if not getattr(user, "organisation_id", None):
            return self.none()
        return self.filter(
            Q(visibility=DocumentVisibility.SHARED) | Q(organisation_id=user.organisation_id)
        )


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=DocumentVisibility.choices
    )
    file_type = models.CharField(_("type"), max_length=10, choices=FileType.choices)
    # The plaintext's size, in bytes.
    size = models.PositiveIntegerField(_("size"))
    # The random 256-bit key the file is sealed with, base64, itself sealed by the field
    # keyring (bound to this row): its key id is the keyring's, and rotation re-wraps it.
    data_key = EncryptedField(_("data key"))
    # The name the file had on the uploader's computer (it may name the person): protected,
    # never part of a path or a download's name.
    original_name = EncryptedField(_("file name"))
    # The name the storage gave the sealed file: the document's id, never the uploaded name.
    stored_name = models.CharField(max_length=200, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    history = AuditlogHistoryField(pk_indexable=False)
    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["case", "-created_at"])]
        constraints = [
            models.CheckConstraint(name="document_is_not_empty", condition=Q(size__gt=0)),
        ]

    def __str__(self):
        # Never the file's name: this string reaches audit entries.
        return f"Document {self.pk}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.file_type]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.file_type]

    @property
    def key_id(self) -> str | None:
        """The id of the keyring key that wraps the data key, read from the stored value
        (without opening it)."""
        sealed = self.__dict__.get("data_key")
        if not isinstance(sealed, Sealed):
            return None
        return crypto.key_id_of(sealed.blob)
