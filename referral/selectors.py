"""Reading referrals: every list and detail starts from the organisation's own referrals."""

from dataclasses import dataclass

from django.db import models
from django.http import Http404
from django.utils import timezone
from django_fsm import can_proceed

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from audit.entries import record_access, record_event
from audit.events import Event
from cases.models import Case, Person
from cases.rules import IDENTITY_FIELDS, identity_fields_for_services
from referral.models import Referral, ReferralState
from referral.response import due_at, due_at_expression, overdue_q, with_response_times
from referral.rules import ASSISTANCE_KINDS, REFERRAL_RULES, may_on_referral, may_print_slip

INCOMING = "incoming"
OUTGOING = "outgoing"

# Pending referrals first, the one due soonest on top (so the overdue ones lead, the longest
# overdue first: referral.response); then everything else, newest first.
_PENDING_FIRST = models.Case(
    models.When(state=ReferralState.PENDING, then=models.Value(0)),
    default=models.Value(1),
    output_field=models.IntegerField(),
)


def referrals_for_list(user, *, direction: str = "", state: str = "", now=None):
    """The referrals the user's organisation received (``incoming``), sent (``outgoing``) or
    both, with what a list row shows (``due_at`` and ``overdue`` included), in a constant
    number of queries. Incoming ones list the pending ones first, by due time (overdue first,
    then the soonest due), then the others newest first; the rest are newest first."""
    referrals = {
        INCOMING: Referral.objects.incoming,
        OUTGOING: Referral.objects.outgoing,
    }.get(direction, Referral.objects.for_organisation)(user)
    if state:
        referrals = referrals.filter(state=state)
    referrals = with_response_times(
        referrals.select_related("case", "from_organisation", "to_organisation").prefetch_related(
            "services"
        ),
        now=now,
    )
    if direction != INCOMING:
        return referrals.order_by("-created_at", "-id")
    return referrals.annotate(pending_first=_PENDING_FIRST).order_by(
        "pending_first", models.F("due_at").asc(nulls_last=True), "-created_at", "-id"
    )


class PendingFirst:
    """The incoming referrals as a paginator slices them (Django's and DRF's alike), in the
    order of ``referrals_for_list``, read as two ranges: the pending ones by due time, then
    the others newest first (an index range each: the receiver's pending referrals are
    sorted, the others walked newest first). Read in one query, every referral the
    organisation ever received was sorted on each page (``make bench``: NGO A's 25,000)."""

    def __init__(self, *, pending, others):
        self.pending = pending
        self.others = others
        self._pending_count = None

    def pending_count(self) -> int:
        if self._pending_count is None:
            self._pending_count = self.pending.count()
        return self._pending_count

    def count(self) -> int:
        return self.pending_count() + self.others.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        pending = self.pending_count()
        rows = list(self.pending[start : min(stop, pending)]) if start < pending else []
        if stop > pending:
            rows += list(self.others[max(start - pending, 0) : stop - pending])
        return rows


def referral_pages(user, *, direction: str = "", state: str = "", now=None):
    """``referrals_for_list`` as the lists page it: ``PendingFirst`` for all the incoming
    referrals, else the queryset (one index range already)."""
    referrals = referrals_for_list(user, direction=direction, state=state, now=now)
    if direction != INCOMING or state:
        return referrals
    return PendingFirst(
        pending=referrals.filter(state=ReferralState.PENDING),
        others=referrals.exclude(state=ReferralState.PENDING).order_by("-created_at", "-id"),
    )


def inbox(user, *, direction: str = INCOMING, state: str = "", now=None):
    """The inbox: incoming (by default) or outgoing referrals, paged as ``referral_pages``."""
    direction = OUTGOING if direction == OUTGOING else INCOMING
    return referral_pages(user, direction=direction, state=state, now=now)


def awaiting_answer(user):
    """The referrals that wait for the user's organisation's answer (the navigation counts
    them)."""
    return Referral.objects.incoming(user).filter(state=ReferralState.PENDING)


def pending_incoming(user, *, now=None):
    """The referrals waiting for the user's organisation's answer, by due time (overdue first),
    with what the home page's card shows."""
    return referrals_for_list(user, direction=INCOMING, state=ReferralState.PENDING, now=now)


def pending_incoming_counts(user, *, now=None) -> dict[str, int]:
    """``{"pending": n, "overdue": m}`` for the user's organisation, in one query."""
    return (
        Referral.objects.incoming(user)
        .filter(state=ReferralState.PENDING)
        .annotate(due_at=due_at_expression())
        .aggregate(
            pending=models.Count("pk"),
            overdue=models.Count("pk", filter=overdue_q(now or timezone.now())),
        )
    )


def referral_for(user, referral_id) -> Referral:
    """A referral the user's organisation sent or received, or one of a case it leads;
    Http404 for any other."""
    referral = (
        Referral.objects.visible_to(user)
        .select_related(
            "case__region",
            "case__nationality",
            "from_organisation",
            "to_organisation",
            "created_by",
        )
        .prefetch_related("services", "case__exploitation_forms")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def case_access(user, referral) -> str | None:
    """What the user's organisation sees of the referral's case now: "identity",
    "profile" or None (declined, cancelled or completed referrals leave no access behind)."""
    flag = (
        Case.objects.visible_to(user)
        .with_identity_flag(user)
        .filter(pk=referral.case_id)
        .values_list("can_view_identity", flat=True)
        .first()
    )
    if flag is None:
        return None
    return "identity" if flag else "profile"


def read_referral_and_log_access(user, referral_id, *, request=None, channel: str) -> Referral:
    """A referral for its detail page or API read (Http404 as ``referral_for``), with
    ``shows_texts``: its protected texts (reason, decline reason) follow the organisation's
    identity access to the case at this moment. A read that shows them writes an access entry.
    """
    referral = referral_for(user, referral_id)
    referral.case_access = case_access(user, referral)
    referral.shows_texts = referral.case_access == "identity"
    if referral.shows_texts:
        record_access(referral, actor=user, request=request, channel=channel)
    return referral


def available_actions(user, referral) -> list[str]:
    """The referral actions the user may take now: the rules table and the state machine."""
    return [
        name
        for name in REFERRAL_RULES
        if may_on_referral(user, name, referral) and can_proceed(getattr(referral, name))
    ]


def referral_targets(actor):
    """The organisations the actor may refer to: active ones that take referrals, not its own."""
    return (
        Organisation.objects.active()
        .filter(kind__in=[*ASSISTANCE_KINDS, OrganisationKind.AUTHORITY])
        .exclude(pk=actor.organisation_id)
    )


def slip_available(user, referral) -> bool:
    """Whether the referral's page offers its printable slip (``read_referral_and_log_access``
    has set ``case_access``)."""
    return getattr(referral, "case_access", None) == "identity" and may_print_slip(user, referral)


@dataclass(frozen=True)
class SlipField:
    name: str
    label: str
    value: object


@dataclass(frozen=True)
class Slip:
    """What the referral's one-page slip shows: the referral (services, urgency, parties),
    the case's reference and the identity fields its services need, and no more."""

    referral: Referral
    identity: list
    due_at: object


def read_slip(user, referral_id, *, request=None) -> Slip:
    """The referral's slip for the sender's frontline users while it is open, and the
    receiver's users once it has accepted (``referral.rules.may_print_slip``), while the
    organisation has identity access to the case; Http404 for anyone else. The identity is
    limited to the fields the referral's services need (``identity_fields_for_services``).

    Each rendering writes one "referral_slip_printed" audit entry on the referral: the case's
    id and the names of the identity fields shown, never a value.
    """
    referral = referral_for(user, referral_id)
    if not may_print_slip(user, referral) or case_access(user, referral) != "identity":
        raise Http404
    codes = [service.code for service in referral.services.all()]
    shown = identity_fields_for_services(codes)
    case = (
        Case.objects.select_related("person").prefetch_related("languages").get(pk=referral.case_id)
    )
    referral.case = case
    identity = [
        SlipField(
            name=name,
            label=str(Person._meta.get_field(name).verbose_name),
            value=getattr(case.person, name),
        )
        for name in IDENTITY_FIELDS
        if name in shown
    ]
    record_event(
        referral,
        actor=user,
        event=Event.REFERRAL_SLIP_PRINTED,
        request=request,
        case=str(case.pk),
        fields=[field.name for field in identity],
    )
    return Slip(referral=referral, identity=identity, due_at=due_at(referral))
