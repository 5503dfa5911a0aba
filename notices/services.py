"""Posting a notice to an organisation, and marking one read."""

from django.http import Http404
from django.utils import timezone

from notices.models import Notice


def post_notice(*, organisation, kind: str, case=None, **params) -> Notice:
    """One notice in the organisation's inbox; ``params`` are references and names only."""
    return Notice.objects.create(organisation=organisation, kind=kind, case=case, params=params)


def mark_read(*, user, notice_id) -> Notice:
    """Mark a notice of the user's organisation read (once; a second call changes nothing).
    Http404 for a notice of another organisation."""
    notice = Notice.objects.for_organisation(user).filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.read_by = user
        notice.save(update_fields=["read_at", "read_by"])
    return notice


def notices_for(user):
    """The organisation's notices, newest first, with the case for the link (one query)."""
    return Notice.objects.for_organisation(user).select_related("case")
