"""Who may upload a case's documents, and who reads them.

Uploading is work on the case, asked like a note or a service: the frontline roles of the lead
organisation and of organisations with an accepted referral. Reading follows the notes: the
organisations that see the case's identity (registering, lead, accepted referral; a pending
referral's receiver sees nothing), the shared documents and their own organisation's.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from cases.rules import ACCEPTED_REFERRAL, CASE_WORKERS, LEAD, Rule, allows, case_relations

DOCUMENT_RULES: dict[str, Rule] = {
    "upload_document": Rule(
        CASE_WORKERS,
        frozenset({LEAD, ACCEPTED_REFERRAL}),
        _(
            "Only the lead organisation and the organisations working on the case through an "
            "accepted referral add documents to it."
        ),
    ),
}


def may_upload(user, case, *, relations: frozenset[str] | None = None) -> bool:
    """Whether the user may add a document to the case, state aside."""
    if relations is None:
        relations = case_relations(user, case)
    return allows(DOCUMENT_RULES["upload_document"], user, relations)


def require_upload(user, case, *, relations: frozenset[str] | None = None) -> None:
    """PermissionDenied with the rule's message unless ``may_upload``."""
    if not may_upload(user, case, relations=relations):
        raise PermissionDenied(DOCUMENT_RULES["upload_document"].message)
