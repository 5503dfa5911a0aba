"""Shapes of a case's documents: the upload (multipart) and the metadata a reader sees."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.models import DocumentKind, DocumentVisibility, FileType


class DocumentInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        allow_empty_file=True,
        use_url=False,
        help_text=_(
            "The file: PDF, JPEG or PNG, told by its content (not its name or declared type), "
            "at most NRM_DOCUMENT_MAX_BYTES. Encrypted before it is stored."
        ),
    )
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    visibility = serializers.ChoiceField(
        choices=DocumentVisibility.choices,
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text=_(
            "shared: every organisation working on the case; own: the caller's organisation "
            "only. Absent: own for a medical certificate, else shared."
        ),
    )


class DocumentSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, read_only=True)
    visibility = serializers.ChoiceField(choices=DocumentVisibility.choices, read_only=True)
    file_type = serializers.ChoiceField(choices=FileType.choices, read_only=True)
    content_type = serializers.CharField(source="media_type", read_only=True)
    size = serializers.IntegerField(read_only=True)
    filename = serializers.CharField(
        source="original_name", read_only=True, help_text=_("The uploaded name; protected.")
    )
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    download = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_download(self, document) -> str:
        return reverse("api:document-download", kwargs={"id": str(document.pk)})
