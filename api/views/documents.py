"""A case's documents: the list and an upload (multipart), and one document's download."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api import schema
from api.exceptions import django_error_detail
from api.pagination import Pagination
from api.permissions import HasCaseAccess
from api.serializers import DocumentInputSerializer, DocumentSerializer
from api.views.common import CASE_ID, parse_id
from cases import selectors as case_selectors
from documents import rules
from documents import selectors as document_selectors
from documents.services import upload_document
from documents.views import attachment

DOCUMENT_ID = OpenApiParameter(
    "id", str, OpenApiParameter.PATH, description=_("The document's UUID.")
)
LIST_RESPONSES = {**schema.UNAUTHENTICATED, **schema.FORBIDDEN, **schema.NOT_FOUND}
CHANGE_RESPONSES = {
    **schema.BAD_REQUEST,
    **schema.UNAUTHENTICATED,
    **schema.FORBIDDEN,
    **schema.NOT_FOUND,
    **schema.CONFLICT,
}


class CaseDocumentListView(GenericAPIView):
    permission_classes = [*GenericAPIView.permission_classes, HasCaseAccess]
    pagination_class = Pagination
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="cases_documents_list",
        summary=_("The documents of a case the caller may read"),
        description=_(
            "Newest first, their metadata only (the file is GET /api/v1/documents/{id}/"
            "download/): the shared documents and those of the caller's organisation. "
            "Organisations with identity access to the case; 403 for a pending referral's "
            "receiver. Each call writes an access entry to the audit log."
        ),
        parameters=[CASE_ID],
        responses={200: DocumentSerializer(many=True), **LIST_RESPONSES},
    )
    def get(self, request, id):
        case = case_selectors.read_case_work(
            request.user, parse_id(id), request=request, channel="api", read="documents"
        )
        documents = document_selectors.readable_documents(request.user, case)
        page = self.paginate_queryset(documents)
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_documents_create",
        summary=_("Add a document to a case"),
        description=_(
            "multipart/form-data with file, kind and visibility. Lead organisation or an "
            "organisation with an accepted referral, frontline roles (403 for others). The "
            "type is told by the content: PDF, JPEG or PNG, else 400; at most "
            "NRM_DOCUMENT_MAX_BYTES (400). 409 invalid_transition for a closed case."
        ),
        parameters=[CASE_ID],
        request={"multipart/form-data": DocumentInputSerializer},
        responses={201: DocumentSerializer, **CHANGE_RESPONSES},
    )
    def post(self, request, id):
        case = case_selectors.case_for_work(request.user, parse_id(id))
        # The rule is asked before the body is read, so a 403 wins over a 400 (API.md).
        rules.require_upload(request.user, case)
        serializer = DocumentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            document = upload_document(
                case,
                actor=request.user,
                file=data["file"],
                kind=data["kind"],
                visibility=data["visibility"] or None,
            )
        except DjangoValidationError as exc:
            raise ValidationError(django_error_detail(exc)) from exc
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDownloadView(APIView):
    permission_classes = [*APIView.permission_classes, HasCaseAccess]

    @extend_schema(
        operation_id="documents_download",
        summary=_("Download a document"),
        description=_(
            "The file, as an attachment (Content-Disposition: attachment, its checked content "
            "type, no-store). For those who may read it; 404 otherwise, as for a missing "
            "document. Each download writes an access entry to the audit log."
        ),
        parameters=[DOCUMENT_ID],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            **schema.UNAUTHENTICATED,
            **schema.FORBIDDEN,
            **schema.NOT_FOUND,
        },
    )
    def get(self, request, id):
        document, content = document_selectors.document_for_download(
            request.user, parse_id(id), request=request, channel="api"
        )
        return attachment(document, content)
