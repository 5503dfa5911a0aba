"""Posting a notice, marking notices read, and each user's choice of mail per kind."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from notices.models import MAIL_KINDS, MAIL_ON_BY_DEFAULT, MailPreference, Notice


def post_notice(*, organisation, kind: str, case=None, user=None, **params) -> Notice:
    """One notice for the organisation (an Organisation or its id), or for one of its members
    when ``user`` is given; ``params`` are references and names only."""
    (notice,) = post_notices(
        organisations=[organisation], kind=kind, case=case, user=user, **params
    )
    return notice


def post_notices(*, organisations, kind: str, case=None, user=None, **params) -> list[Notice]:
    """``post_notice`` for each organisation (each once, in order), in one INSERT: an event
    that tells two organisations (a lead handed over) wrote a row at a time."""
    ids = dict.fromkeys(getattr(organisation, "pk", organisation) for organisation in organisations)
    return Notice.objects.bulk_create(
        [
            Notice(organisation_id=pk, user=user, kind=kind, case=case, params=dict(params))
            for pk in ids
        ]
    )


def mark_read(*, user, notice_id) -> Notice:
    """Mark a notice the user sees read (once; a second call changes nothing). Http404 for a
    notice of another organisation, or another member's own."""
    notice = Notice.objects.for_user(user).filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.read_by = user
        notice.save(update_fields=["read_at", "read_by"])
    return notice


def mark_all_read(*, user) -> int:
    """Mark every unread notice the user sees read, in one UPDATE; how many."""
    return Notice.objects.for_user(user).unread().update(read_at=timezone.now(), read_by=user)


def notices_for(user):
    """The notices the user sees (the organisation's and the user's own), newest first, with
    the case for the link (one query)."""
    return Notice.objects.for_user(user).select_related("case")


def unread_notices(user):
    """The user's unread notices (the navigation counts them)."""
    return Notice.objects.for_user(user).unread()


def mail_wanted(user) -> dict[str, bool]:
    """Kind → whether the user wants mail for it: the user's choice, else the default."""
    chosen = dict(MailPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind: chosen.get(kind, kind in MAIL_ON_BY_DEFAULT) for kind in MAIL_KINDS}


def set_mail_preferences(*, user, kinds) -> dict[str, bool]:
    """Mail for exactly ``kinds`` (the others off): one row per kind, so a later change of
    the defaults does not change a choice the user made."""
    wanted = set(kinds)
    with transaction.atomic():
        for kind in MAIL_KINDS:
            MailPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"enabled": kind in wanted}
            )
    return mail_wanted(user)
