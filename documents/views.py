"""The case page's documents: an upload (the case page again with the form's errors on a
refusal) and a download (an attachment, audited). Each is one call of a service or a
selector; the rules live there."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import selectors as case_selectors
from cases.forms import add_service_errors
from cases.rules import can_access_cases
from cases.views import case_page
from core.decorators import user_passes_rule
from core.errors import Conflict
from documents import selectors
from documents.forms import DocumentForm
from documents.services import upload_document


def attachment(document, content: bytes) -> HttpResponse:
    """The file as a download: its checked type, never shown inline or sniffed, never kept
    in a cache, named by kind, case reference and id (no personal data in the name)."""
    response = HttpResponse(content, content_type=document.media_type)
    name = f"{document.kind}-{document.case.reference}-{document.pk.hex[:8]}.{document.extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@user_passes_rule(can_access_cases)
@require_POST
def upload(request, case_id):
    case = case_selectors.case_for_work(request.user, case_id)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return case_page(request, case.pk, bound=form, status=400)
    try:
        upload_document(case, actor=request.user, **form.to_service_kwargs())
    except Conflict as error:
        form.add_error(None, error.message)
        return case_page(request, case.pk, bound=form, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return case_page(request, case.pk, bound=form, status=400)
    messages.success(request, _("Document added."))
    return redirect("cases:detail", case_id=case.pk)


@user_passes_rule(can_access_cases)
@require_GET
def download(request, case_id, document_id):
    document, content = selectors.document_for_download(
        request.user, document_id, case_id=case_id, request=request, channel="ui"
    )
    return attachment(document, content)
