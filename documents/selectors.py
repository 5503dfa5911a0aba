"""Reading documents: the case's list for those who read its work, and one file's download.

A document is read by those who read the case's notes: its case visible to the user's
organisation with identity (``Case.objects.visible_to`` and ``with_identity_flag``), and the
document shared or the organisation's own. Anything else is the 404 of a missing document.
"""

from django.http import Http404

from audit.entries import record_access
from cases.models import Case, Stage
from documents import rules, sealing, storage
from documents.models import Document


def readable_documents(user, case: Case):
    """The case's documents the user may read, newest first, with who uploaded them: none
    without identity access to the case (``can_view_identity``)."""
    if not getattr(case, "can_view_identity", False):
        return Document.objects.none()
    return (
        Document.objects.visible_to(user)
        .filter(case=case)
        .select_related("uploaded_by", "organisation")
        .order_by("-created_at", "-id")
    )


def documents_for_page(user, case: Case) -> list | None:
    """The case page's documents; None when the page shows no documents section (no
    identity access: a pending referral's receiver)."""
    if not getattr(case, "can_view_identity", False):
        return None
    return list(readable_documents(user, case))


def offers_upload(user, case: Case, *, relations: frozenset[str] | None = None) -> bool:
    """Whether the case page offers the upload form: the rule allows it and the case is open."""
    return case.stage != Stage.CLOSED and rules.may_upload(user, case, relations=relations)


def document_for_download(user, document_id, *, case_id=None, request=None, channel: str):
    """The document (of the case ``case_id`` when given) and its content in clear, for a user
    who may read it; writes the read's access entry (the document, its case and the channel).
    Http404 for a document that does not exist or that the user may not read (the same
    answer)."""
    documents = Document.objects.visible_to(user).select_related("case")
    if case_id is not None:
        documents = documents.filter(case_id=case_id)
    document = documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    readable = (
        Case.objects.visible_to(user)
        .with_identity_flag(user)
        .filter(pk=document.case_id, can_view_identity=True)
        .exists()
    )
    if not readable:
        raise Http404
    content = sealing.open_sealed(
        storage.read_sealed(document.stored_name),
        data_key=document.data_key,
        case_id=document.case_id,
        document_id=document.pk,
    )
    record_access(
        document, actor=user, request=request, channel=channel, case=str(document.case_id)
    )
    return document, content
