"""The notices case work posts: one function per event, each the one call its action makes,
inside the action's transaction (so a refused or rolled-back action posts nothing).

Who is told (each recipient once per event, whatever the lists repeat):

    referral received     the receiving organisation
    referral accepted     the sending organisation
    referral declined     the sending organisation
    referral cancelled    the receiver; when the system cancelled it (closure, consent
                          withdrawal), the sender too
    referral ended        the receiver (ended by the lead, or the case closed)
    status decision       the lead organisation, and the organisation that asked if another
    consent withdrawn     the organisations whose part ended with it (they lose access); the
                          sender of a pending referral it cancelled, if not one of them
    lead transferred      the old and the new lead (instead of "accepted")
    case assigned         the assigned member only
    task assigned         the member a follow-up is given to, else its organisation (not
                          when the actor gives it to themselves or to their organisation)
    tasks due             once a day: each member with follow-ups of theirs due today or
                          overdue, and each organisation for those given to nobody in it

A notice links to the case only for an organisation that still sees it. Mail follows on
commit (``notices.mail``), to the members who chose it for that kind. The objects passed in are
the actions' own, already locked; only their references and organisations' names are copied.
"""

from notices.mail import queue_notice_mail
from notices.models import NoticeKind
from notices.services import post_notice, post_notices

SYSTEM_CAUSES = ("case_closed", "consent_withdrawn")


def _post(kind: str, organisation_ids, *, case, link: bool = True, user=None, **params) -> list:
    notices = post_notices(
        organisations=organisation_ids,
        kind=kind,
        case=case if link else None,
        user=user,
        reference=case.reference,
        **params,
    )
    queue_notice_mail(notices)
    return notices


def referral_received(referral) -> list:
    return _post(
        NoticeKind.REFERRAL_RECEIVED,
        [referral.to_organisation_id],
        case=referral.case,
        from_organisation=referral.from_organisation.name,
    )


def referral_accepted(referral) -> list:
    """Accepted, or for a referral that hands over the lead, the lead transferred."""
    if referral.transfers_lead:
        return _post(
            NoticeKind.LEAD_TRANSFERRED,
            [referral.from_organisation_id, referral.to_organisation_id],
            case=referral.case,
            old_lead=referral.from_organisation.name,
            new_lead=referral.to_organisation.name,
        )
    return _post(
        NoticeKind.REFERRAL_ACCEPTED,
        [referral.from_organisation_id],
        case=referral.case,
        to_organisation=referral.to_organisation.name,
    )


def referral_declined(referral) -> list:
    return _post(
        NoticeKind.REFERRAL_DECLINED,
        [referral.from_organisation_id],
        case=referral.case,
        to_organisation=referral.to_organisation.name,
    )


def _names(referral) -> dict:
    return {
        "from_organisation": referral.from_organisation.name,
        "to_organisation": referral.to_organisation.name,
    }


def referral_cancelled(referral, *, cause: str = "") -> list:
    """By its sender (no cause), or by the system for ``cause``: then the sender hears too."""
    extra = {"cause": cause} if cause else {}
    notices = _post(
        NoticeKind.REFERRAL_CANCELLED,
        [referral.to_organisation_id],
        case=referral.case,
        link=False,
        **_names(referral),
        **extra,
    )
    if cause:
        notices += _post(
            NoticeKind.REFERRAL_CANCELLED,
            [referral.from_organisation_id],
            case=referral.case,
            **_names(referral),
            **extra,
        )
    return notices


def referral_ended(referral, *, cause: str = "") -> list:
    """By the lead (no cause) or by the system for ``cause``; the receiver is told."""
    extra = {"cause": cause} if cause else {}
    return _post(
        NoticeKind.REFERRAL_ENDED,
        [referral.to_organisation_id],
        case=referral.case,
        link=False,
        **_names(referral),
        **extra,
    )


def case_closed(case, ended) -> list:
    """The closure cancelled or ended ``ended``: [(referral, state it left)]."""
    notices = []
    for referral, source in ended:
        if source == "pending":
            notices += referral_cancelled(referral, cause="case_closed")
        else:
            notices += referral_ended(referral, cause="case_closed")
    return notices


def consent_withdrawn(case, ended) -> list:
    """The withdrawal cancelled or ended ``ended``: [(referral, state it left)]."""
    receivers = [referral.to_organisation_id for referral, _source in ended]
    notices = _post(NoticeKind.CONSENT_WITHDRAWN, receivers, case=case, link=False)
    for referral, source in ended:
        if source == "pending" and referral.from_organisation_id not in receivers:
            notices += _post(
                NoticeKind.REFERRAL_CANCELLED,
                [referral.from_organisation_id],
                case=case,
                cause="consent_withdrawn",
                **_names(referral),
            )
    return notices


def status_decided(case, *, decider, asked_by) -> list:
    """``decider``: the status authority; ``asked_by``: the organisations whose referral asked
    for the decision."""
    return _post(
        NoticeKind.STATUS_DECIDED,
        [case.lead_organisation_id, *asked_by],
        case=case,
        decider_organisation=decider.name,
    )


def case_assigned(case, *, assignee) -> list:
    if assignee is None:
        return []
    return _post(NoticeKind.CASE_ASSIGNED, [case.lead_organisation_id], case=case, user=assignee)


def task_assigned(task, *, actor) -> list:
    """A follow-up given to someone by someone else: to its assignee, else its organisation
    (when that is not the actor's own). Names the case's reference and the giver's
    organisation only, never the task's title."""
    if task.assignee_id is not None:
        if task.assignee_id == actor.pk:
            return []
    elif task.organisation_id == actor.organisation_id:
        return []
    return _post(
        NoticeKind.TASK_ASSIGNED,
        [task.organisation_id],
        case=task.case,
        user=task.assignee,
        from_organisation=actor.organisation.name,
    )


def tasks_due(*, organisation_id: int, user=None, count: int):
    """The daily reminder: how many follow-ups are due today or overdue (a count, no case)."""
    notice = post_notice(
        organisation=organisation_id, kind=NoticeKind.TASK_DUE, user=user, count=count
    )
    queue_notice_mail([notice])
    return notice
