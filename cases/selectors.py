"""Reading cases: every list and detail starts from ``Case.objects.visible_to(user)``."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Window
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.entries import record_access, record_event
from audit.events import Event
from cases import rules
from cases.history import EVENT_LABELS, case_history
from cases.models import (
    Case,
    CaseGroupObjectPermission,
    CaseTransition,
    ConsentOverride,
    Note,
    ServiceRecord,
    Stage,
)
from cases.queries import CaseListQuery, filter_cases
from duplicates.matching import shown_pairs
from referral.models import Referral, ReferralState
from referral.rules import referral_relations

# A list row's rows joined to the case's, and the reference rows it shows, prefetched: with
# region and nationality joined too, PostgreSQL planned the page's rows for longer than it
# read them (100,000 cases, 50 rows: planning 4.7 ms with five joins, 1.3 ms with three;
# the two small prefetches cost less than the difference).
LIST_JOINS = ("lead_organisation", "person", "assigned_to")
LIST_REFERENCE_ROWS = ("region", "nationality", "exploitation_forms")


def cases_for_list(user):
    """The user's visible cases with what a list row shows, in a constant number of queries.
    The person is joined for the name shown to those with identity access; only the rows of
    a page are loaded, and only their names are decrypted (on access). A reader that shows
    more of each case prefetches it (the API: ``CASE_ROW_EXTRAS``)."""
    return (
        Case.objects.visible_to(user)
        .with_identity_flag(user)
        .select_related(*LIST_JOINS)
        .prefetch_related(*LIST_REFERENCE_ROWS)
        .order_by("-created_at", "-reference")
    )


# What the API's case rows show besides the list's (``api.serializers.CaseSerializer``).
CASE_ROW_EXTRAS = ("languages", "means_of_control")


class IdsFirst:
    """A list of cases a paginator slices (Django's and DRF's alike) in two steps: the count
    and the page's ids from the narrow query (visibility, filters and order on the case table
    alone), then the rows of those ids only, with their joins, prefetches and identity flag.

    Read in one query, PostgreSQL computes the identity flag for every visible case before
    the first row of the page (a hashed subplan over all the organisation's grants) and joins
    every row an OFFSET skips; the ids first, it computes and joins fifty (``make bench``:
    an NGO caseworker's page 1 in about half the time). One query more than a plain slice.
    """

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        ids = self.page_ids(key)
        rows = {case.pk: case for case in self.queryset.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]

    def page_ids(self, key: slice) -> list:
        return list(self.queryset.values_list("pk", flat=True)[key])


class GrantsFirst(IdsFirst):
    """The unfiltered list: the count and the page's ids from the organisation's grants
    alone (``CaseGroupObjectPermission.objects.listed_for``, one range of their listing
    index, which holds the list's order), then the rows as ``IdsFirst`` reads them, through
    the same visible queryset. Neither the count nor a deep page's OFFSET joins a case."""

    def __init__(self, queryset, *, grants):
        super().__init__(queryset)
        self.grants = grants

    def count(self) -> int:
        return self.grants.count()

    def page_ids(self, key: slice) -> list:
        return list(self.grants.values_list("content_object_id", flat=True)[key])


class MatchesFirst(IdsFirst):
    """An identity search's matches: the count and the first ``AHEAD`` ids in one query
    (``COUNT(*) OVER ()`` beside the ids), then the rows as ``IdsFirst`` reads them.

    A search's order is an expression no index serves (``queries.IDENTITY_SEARCH_ORDER``), so
    PostgreSQL reads and sorts every match of the blind index for the page anyway: the count
    apart read them all a second time (``make bench``: a common family name, 1,191 people,
    10 ms each). Pages past the ids read ahead are read as ``IdsFirst`` reads them.
    """

    # The API's largest page (api.pagination): its first page, or the UI's first four.
    AHEAD = 200

    def __init__(self, queryset):
        super().__init__(queryset)
        self._total = None
        self._ahead = []

    def count(self) -> int:
        if self._total is None:
            rows = list(
                self.queryset.annotate(matches=Window(Count("pk"))).values_list("pk", "matches")[
                    : self.AHEAD
                ]
            )
            self._ahead = [pk for pk, _ in rows]
            self._total = rows[0][1] if rows else 0
        return self._total

    def page_ids(self, key: slice) -> list:
        read_ahead = self._total is not None and (
            self._total <= self.AHEAD or (key.stop is not None and key.stop <= self.AHEAD)
        )
        if read_ahead:
            return self._ahead[key]
        return super().page_ids(key)


def list_pages(user, cases, query: CaseListQuery | None) -> IdsFirst:
    """What the list's paginator slices (the UI's and the API's): ``GrantsFirst`` when
    nothing narrows the list, ``MatchesFirst`` for a search by identity, else ``IdsFirst``
    over ``cases`` (filtered by ``query``, or none when the question was refused: ``query``
    None)."""
    if query == CaseListQuery():
        return GrantsFirst(cases, grants=CaseGroupObjectPermission.objects.listed_for(user))
    if query is not None and query.searches_identity():
        return MatchesFirst(cases)
    return IdsFirst(cases)


def search_cases(user, query: CaseListQuery, *, channel: str, request=None):
    """``cases_for_list`` narrowed by ``query``; a search (by reference or identity) writes one
    "cases_searched" audit entry naming the parameters searched (never their values) and the
    other filters."""
    cases = filter_cases(cases_for_list(user), query, user=user)
    searched = query.searched()
    if searched:
        record_event(
            user,
            actor=user,
            event=Event.CASES_SEARCHED,
            request=request,
            channel=channel,
            searched=searched,
            filters=query.filters(),
        )
    return cases


# The case page's rows joined to the case's: the planner searches the join orders of a star
# of nine joins for longer than it runs the query (100,000 cases: 5 ms planning, 0.2 ms
# execution; with four joins 0.8 ms). The reference rows (a code each, most of them null or
# shared by thousands of cases) come in one small query each instead, none for a null.
CASE_PAGE_JOINS = ("person", "lead_organisation", "registering_organisation", "assigned_to")
CASE_PAGE_REFERENCE_ROWS = (
    "region",
    "nationality",
    "recruitment_method",
    "trafficker_relationship",
    "exploitation_country",
    "exploitation_forms",
    "languages",
    "means_of_control",
)


def read_case_and_log_access(user, case_id, *, request=None, channel: str) -> Case:
    """The case for its detail page or API read; writes the read's access entry to the audit log.

    Raises Http404 when the case does not exist or is not visible (the same answer for both).
    """
    case = (
        Case.objects.visible_to(user)
        .with_identity_flag(user)
        .select_related(*CASE_PAGE_JOINS)
        .prefetch_related(*CASE_PAGE_REFERENCE_ROWS)
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    case.identity_fields = identity_fields(user, case)
    record_access(case, actor=user, request=request, channel=channel)
    return case


def identity_fields(user, case: Case) -> frozenset[str]:
    """The identity fields the user's organisation sees on the case now (minimum necessary):
    all for the registering and lead organisations, none without identity access, else those
    the services of its accepted referrals need (``rules.IDENTITY_FIELDS_BY_SERVICE``)."""
    if not getattr(case, "can_view_identity", False):
        return frozenset()
    org = user.organisation_id
    if org in (case.registering_organisation_id, case.lead_organisation_id):
        return rules.ALL_IDENTITY
    codes = Referral.objects.filter(
        case_id=case.pk, to_organisation_id=org, state=ReferralState.ACCEPTED
    ).values_list("services__code", flat=True)
    return rules.identity_fields_for_services(codes)


def can_see_history(user, case: Case) -> bool:
    return user.organisation_id is not None and user.organisation_id == case.lead_organisation_id


def history_of(case: Case, *, page=None, reads_page=None, list_reads: bool = False):
    """``cases.history.case_history``: the case's history for the lead organisation's page."""
    return case_history(case, page=page, reads_page=reads_page, list_reads=list_reads)


REFLECTION_NEAR = "near"
REFLECTION_PASSED = "passed"


def reflection_period_flag(case: Case, *, today: datetime.date | None = None) -> str | None:
    """ "passed", "near" (within NRM_REFLECTION_WARNING_DAYS) or None, for an open case."""
    ends_on = case.reflection_period_ends_on
    if ends_on is None or case.stage == Stage.CLOSED:
        return None
    days_left = (ends_on - (today or timezone.localdate())).days
    if days_left < 0:
        return REFLECTION_PASSED
    if days_left <= settings.NRM_REFLECTION_WARNING_DAYS:
        return REFLECTION_NEAR
    return None


def reflection_flag_q(*, today: datetime.date | None = None) -> Q:
    """``reflection_period_flag`` is not None, in SQL: open cases whose reflection period has
    passed or ends within NRM_REFLECTION_WARNING_DAYS (the two are tested together)."""
    last_day = (today or timezone.localdate()) + datetime.timedelta(
        days=settings.NRM_REFLECTION_WARNING_DAYS
    )
    return Q(reflection_period_ends_on__lte=last_day) & ~Q(stage=Stage.CLOSED)


# The case actions the detail page offers a form for, besides the named transitions.
WORK_ACTIONS = (
    "record_consent",
    "refer",
    "override_consent",
    "add_note",
    "record_service",
    "correct",
    "assign",
)


@dataclass
class CaseWork:
    """What the case page shows and offers beyond the profile, read in bounded queries."""

    may: dict[str, bool]
    # The organisation's relations to the case, read once (the transitions on offer ask them).
    relations: frozenset
    reflection_flag: str | None
    # Matches of this registration with earlier cases the organisation sees with identity
    # (PossibleDuplicate rows, ``other_case`` set), those still to settle first.
    duplicate_pairs: list = field(default_factory=list)
    # The reasons given on the case (decisions, closure, overrides), for those who read them.
    reads_reasons: bool = False
    reasons: list = field(default_factory=list)
    referrals: list = field(default_factory=list)
    # Referrals the user's organisation sent or received (it may open them).
    party_referrals: set = field(default_factory=set)
    notes: list = field(default_factory=list)
    services: list = field(default_factory=list)
    # Services the user may update now (its organisation's, running, on an open case).
    updatable_services: set = field(default_factory=set)
    # Whether the referrals and services above are all the case's (read with the identity).
    read_case_rows: bool = False

    def case_rows(self) -> dict:
        """The case's referrals and services as read, for another section of the page that
        lists them (``plans.forms.need_links``); empty when they were not read."""
        if not self.read_case_rows:
            return {}
        return {"referrals": self.referrals, "services": self.services}


def readable_notes(user, case: Case):
    """The case's notes the user may read, newest first: none without identity access to the
    case (``can_view_identity``), else the shared notes and the own organisation's."""
    if not getattr(case, "can_view_identity", False):
        return Note.objects.none()
    return (
        Note.objects.visible_to(user)
        .filter(case=case)
        .select_related("author", "organisation")
        .order_by("-created_at", "-id")
    )


def readable_services(user, case: Case):
    """The services delivered on the case, latest start first: none without identity access
    to the case (``can_view_identity``), else every organisation's."""
    if not getattr(case, "can_view_identity", False):
        return ServiceRecord.objects.none()
    return (
        ServiceRecord.objects.filter(case=case)
        .select_related("service_type", "provider")
        .order_by("-started_on", "-id")
    )


def case_work(user, case: Case) -> CaseWork:
    """Allowed actions (asked of the rules) and, for organisations that see the identity,
    the case's referrals, the notes the user may read, the services delivered and those the
    user may update."""
    relations = rules.case_relations(user, case)
    closed = case.stage == Stage.CLOSED
    may = {
        name: rules.may(user, name, case, relations=relations)
        and not (closed and name in rules.CLOSED_CASE_REFUSES)
        for name in WORK_ACTIONS
    }
    work = CaseWork(
        may=may,
        relations=relations,
        reflection_flag=reflection_period_flag(case),
        duplicate_pairs=shown_pairs(user, case)
        if rules.sees_possible_duplicate(user, case)
        else [],
    )
    if rules.may_read_reasons(user, case, relations=relations):
        work.reads_reasons = True
        work.reasons = reasons_given(case)
    if case.can_view_identity:
        work.referrals = list(
            case.referrals.select_related("case", "from_organisation", "to_organisation")
            .prefetch_related("services")
            .order_by("-created_at")
        )
        work.party_referrals = {r.pk for r in work.referrals if referral_relations(user, r)}
        work.notes = list(readable_notes(user, case))
        work.services = list(readable_services(user, case))
        work.read_case_rows = True
        open_to_updates = not (closed and "update_service" in rules.CLOSED_CASE_REFUSES)
        work.updatable_services = {
            record.pk
            for record in work.services
            if open_to_updates
            and not record.is_ended
            and rules.may_on_service(user, "update_service", record, relations=relations)
        }
    return work


@dataclass(frozen=True)
class GivenReason:
    """One reason given on a case: what it was for, by whom and when, and the text."""

    what: str
    at: datetime.datetime
    organisation: str
    text: str


def reasons_given(case: Case) -> list[GivenReason]:
    """The protected reasons of the case's transitions and consent overrides, newest first
    (transitions taken without a reason are left out). Two queries."""
    reasons = [
        GivenReason(
            what=str(EVENT_LABELS.get(change.transition, change.transition)),
            at=change.at,
            organisation=change.organisation.name if change.organisation else "",
            text=change.reason,
        )
        for change in CaseTransition.objects.filter(case=case).select_related("organisation")
        if change.reason
    ]
    reasons += [
        GivenReason(
            what=str(_("Referral without recorded consent")),
            at=override.at,
            organisation=override.organisation.name,
            text=override.reason,
        )
        for override in ConsentOverride.objects.filter(case=case).select_related("organisation")
    ]
    return sorted(reasons, key=lambda reason: reason.at, reverse=True)


def case_for_correction(user, case_id, *, request=None) -> Case:
    """The case whose record the user corrects, identity included: Http404 when not visible,
    PermissionDenied unless the rules let the user correct it. The read of the identity into
    the form is an access entry like any other read."""
    case = (
        Case.objects.visible_to(user)
        .select_related("person", "nationality", "region")
        .prefetch_related("exploitation_forms", "languages", "means_of_control")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    rules.require(user, "correct", case)
    record_access(case, actor=user, request=request, channel="ui")
    return case


def case_for_work(user, case_id) -> Case:
    """The case a POST acts on: visible to the user (Http404 otherwise); no read is logged,
    the service re-reads it under a lock."""
    case = Case.objects.visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def read_case_work(user, case_id, *, request=None, channel: str, read: str) -> Case:
    """The case whose notes or services (``read``) the user lists: Http404 when not visible,
    PermissionDenied without identity access (a pending referral's receiver sees the profile
    only). Writes an access entry naming what was read, like a read of the case."""
    case = Case.objects.visible_to(user).with_identity_flag(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if not case.can_view_identity:
        raise PermissionDenied(rules.PROFILE_ONLY)
    record_access(case, actor=user, request=request, channel=channel, read=read)
    return case


def service_for_work(user, service_id, *, case_id=None) -> ServiceRecord:
    """The service record a change acts on (of the case ``case_id`` when given): Http404
    unless the user reads the case's services (visible, with identity access). No read is
    logged; the service re-reads the record under a lock."""
    record = ServiceRecord.objects.filter(pk=service_id).first()
    if record is None or (case_id is not None and record.case_id != case_id):
        raise Http404
    case = (
        Case.objects.visible_to(user)
        .with_identity_flag(user)
        .filter(pk=record.case_id, can_view_identity=True)
        .first()
    )
    if case is None:
        raise Http404
    record.case = case
    return record
