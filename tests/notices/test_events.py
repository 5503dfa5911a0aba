"""notices.events: each event of case work, driven through the real actions, posts one notice
to each organisation it concerns (the table below, written from the issue, not from the code),
links to the case only where the organisation still sees it, mails those who want that kind,
and never carries case data."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import User
from cases.assignment import assign_case
from cases.consent import record_consent
from cases.dispatch import take_transition
from core.errors import InvalidTransition
from notices.models import MailPreference, Notice, NoticeKind
from referral.transitions import (
    accept_referral,
    cancel_referral,
    decline_referral,
    end_referral,
)
from tests import personas
from tests.factories import make_case
from tests.scenarios import case_led_by_ngo_a, consented_case, refer

NGO_A, NGO_B = "NGO A", "NGO B"
POLICE, HEALTH, PROSECUTOR = (
    "Police — Casablanca",
    "Health unit — Casablanca",
    "Prosecutor's office",
)
# Free text no notice or mail may repeat (with the person's names, document number and the
# case's summary, read from the case itself).
SECRETS = ("SECRET-REFERRAL", "SECRET-DECLINE", "SECRET-CLOSE", "SECRET-DECISION")


def _pending(cast):
    case = consented_case(cast)
    return case, refer(case, cast.ngo_a, NGO_B, reason="SECRET-REFERRAL")


def _accepted(cast):
    case, referral = _pending(cast)
    accept_referral(referral, actor=cast.ngo_b)
    return case, referral


def received(cast):
    case = consented_case(cast)
    return case, lambda: refer(case, cast.ngo_a, NGO_B, reason="SECRET-REFERRAL")


def accepted(cast):
    case, referral = _pending(cast)
    return case, lambda: accept_referral(referral, actor=cast.ngo_b)


def declined(cast):
    case, referral = _pending(cast)
    return case, lambda: decline_referral(referral, actor=cast.ngo_b, reason="SECRET-DECLINE")


def cancelled(cast):
    case, referral = _pending(cast)
    return case, lambda: cancel_referral(referral, actor=cast.ngo_a)


def ended_by_lead(cast):
    case, referral = _accepted(cast)
    return case, lambda: end_referral(referral, actor=cast.ngo_a)


def closed(cast):
    """The prosecutor's and the health unit's accepted referrals end; NGO B's pending one is
    cancelled by the system, so NGO A (its sender) hears too."""
    case = case_led_by_ngo_a(cast, stage="reintegration")
    refer(case, cast.ngo_a, NGO_B)
    return case, lambda: take_transition(
        case,
        "close",
        actor=cast.ngo_a_supervisor,
        reason="SECRET-CLOSE",
        closure_reason="goals_met",
    )


def consent_withdrawn(cast):
    case, _referral = _pending(cast)
    accept_referral(refer(case, cast.ngo_a, HEALTH, "Medical"), actor=cast.health)
    return case, lambda: record_consent(case, actor=cast.ngo_a, scope="referral", given=False)


def lead_transferred(cast):
    case = consented_case(cast)
    handover = refer(case, cast.ngo_a, NGO_B, transfers_lead=True)
    return case, lambda: accept_referral(handover, actor=cast.ngo_b)


def confirmed(cast):
    case = case_led_by_ngo_a(cast)
    return case, lambda: take_transition(
        case, "confirm_status", actor=cast.authority, reason="SECRET-DECISION"
    )


def rejected(cast):
    case = case_led_by_ngo_a(cast)
    return case, lambda: take_transition(
        case, "reject_status", actor=cast.authority, reason="SECRET-DECISION"
    )


def reconsidered(cast):
    case = case_led_by_ngo_a(cast, status="not_confirmed")
    return case, lambda: take_transition(
        case, "reconsider_status", actor=cast.authority, reason="SECRET-DECISION"
    )


def decided_when_a_partner_asked(cast):
    """The police lead; NGO A, a partner, asked the prosecutor: both hear of the decision."""
    case = make_case(cast.police)
    record_consent(case, actor=cast.police, scope="referral", given=True)
    accept_referral(refer(case, cast.police, NGO_A), actor=cast.ngo_a)
    accept_referral(refer(case, cast.ngo_a, PROSECUTOR, "StatusDecision"), actor=cast.authority)
    return case, lambda: take_transition(
        case, "confirm_status", actor=cast.authority, reason="SECRET-DECISION"
    )


def assigned(cast):
    case = make_case(cast.ngo_a)
    return case, lambda: assign_case(case, actor=cast.ngo_a_supervisor, assignee=cast.ngo_a)


LINK, NO_LINK = True, False
# event → the notices it posts: (organisation, kind, linked to the case, for one member only),
# and the personas mailed by default (mail on for "referral received" and "case assigned").
TABLE = {
    received: ([(NGO_B, "referral_received", LINK, None)], {personas.NGO_B}),
    accepted: ([(NGO_A, "referral_accepted", LINK, None)], set()),
    declined: ([(NGO_A, "referral_declined", LINK, None)], set()),
    cancelled: ([(NGO_B, "referral_cancelled", NO_LINK, None)], set()),
    ended_by_lead: ([(NGO_B, "referral_ended", NO_LINK, None)], set()),
    closed: (
        [
            (HEALTH, "referral_ended", NO_LINK, None),
            (NGO_A, "referral_cancelled", LINK, None),
            (NGO_B, "referral_cancelled", NO_LINK, None),
            (PROSECUTOR, "referral_ended", NO_LINK, None),
        ],
        set(),
    ),
    consent_withdrawn: (
        [
            (HEALTH, "consent_withdrawn", NO_LINK, None),
            (NGO_A, "referral_cancelled", LINK, None),
            (NGO_B, "consent_withdrawn", NO_LINK, None),
        ],
        set(),
    ),
    lead_transferred: (
        [(NGO_A, "lead_transferred", LINK, None), (NGO_B, "lead_transferred", LINK, None)],
        set(),
    ),
    confirmed: ([(NGO_A, "status_decided", LINK, None)], set()),
    rejected: ([(NGO_A, "status_decided", LINK, None)], set()),
    reconsidered: ([(NGO_A, "status_decided", LINK, None)], set()),
    decided_when_a_partner_asked: (
        [(NGO_A, "status_decided", LINK, None), (POLICE, "status_decided", LINK, None)],
        set(),
    ),
    assigned: ([(NGO_A, "case_assigned", LINK, personas.NGO_A)], {personas.NGO_A}),
}


@pytest.fixture
def addresses(cast):
    """Every persona has an address (and nobody else in the cast), so the mail is countable."""
    User.objects.update(email="")
    for username in personas.ALL:
        User.objects.filter(username=username).update(email=f"{username}@example.org")
    return {f"{username}@example.org": username for username in personas.ALL}


def _posted(before):
    return sorted(
        (
            n.organisation.name,
            n.kind,
            n.case_id is not None,
            n.user.username if n.user_id else None,
        )
        for n in Notice.objects.exclude(pk__in=before).select_related("organisation", "user")
    )


def _case_data(case) -> list[str]:
    person = case.person
    return [
        person.given_name,
        person.family_name,
        person.document_number,
        case.summary,
        *SECRETS,
    ]


@pytest.mark.parametrize("event", list(TABLE), ids=lambda event: event.__name__)
def test_each_event_tells_the_right_organisations_once(
    cast, addresses, django_capture_on_commit_callbacks, event
):
    case, act = event(cast)
    before = list(Notice.objects.values_list("pk", flat=True))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        act()
    expected, mailed = TABLE[event]
    assert _posted(before) == sorted(expected)
    assert sorted(addresses[to] for message in mail.outbox for to in message.to) == sorted(mailed)

    case = type(case).objects.get(pk=case.pk)
    texts = []
    for notice in Notice.objects.exclude(pk__in=before):
        assert case.reference in notice.message
        for language in ("en", "fr", "ar"):
            with translation.override(language):
                texts.append(notice.message)
    texts += [message.subject + message.body for message in mail.outbox]
    for text in texts:
        for value in _case_data(case):
            assert value not in text
    for message in mail.outbox:
        assert case.reference not in message.subject + message.body
        assert "/notices/" in message.body


def test_a_retried_answer_posts_nothing_more(cast):
    _case, referral = _pending(cast)
    accept_referral(referral, actor=cast.ngo_b)
    with pytest.raises(InvalidTransition):
        accept_referral(referral, actor=cast.ngo_b)
    assert list(Notice.objects.filter(kind="referral_accepted").values_list("kind")) == [
        ("referral_accepted",)
    ]


def test_the_same_assignment_twice_is_one_notice(cast):
    case = make_case(cast.ngo_a)
    for _ in range(2):
        assign_case(case, actor=cast.ngo_a_supervisor, assignee=cast.ngo_a)
    assert Notice.objects.filter(kind="case_assigned").count() == 1


def test_unassigning_tells_nobody(cast):
    case = make_case(cast.ngo_a)
    assign_case(case, actor=cast.ngo_a_supervisor, assignee=cast.ngo_a)
    assign_case(case, actor=cast.ngo_a_supervisor, assignee=None)
    assert Notice.objects.filter(kind="case_assigned").count() == 1


def test_a_refused_action_posts_nothing(cast):
    _case, referral = _pending(cast)
    with pytest.raises(InvalidTransition):
        end_referral(referral, actor=cast.ngo_a)
    assert list(Notice.objects.values_list("kind", flat=True)) == ["referral_received"]


def test_a_rolled_back_action_mails_nobody(cast, addresses, django_capture_on_commit_callbacks):
    case = consented_case(cast)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        refer(case, cast.ngo_a, NGO_B)
    assert (len(callbacks), mail.outbox) == (1, [])


def test_an_event_for_two_organisations_writes_and_finds_its_recipients_once(
    cast, addresses, django_capture_on_commit_callbacks
):
    # Both leads' members choose mail for a handover: each organisation's members get the
    # mail of their own organisation's notice, from one INSERT and one read of the members.
    for username in (personas.NGO_A, personas.NGO_A_SUPERVISOR, personas.NGO_B):
        MailPreference.objects.create(
            user=cast[username], kind=NoticeKind.LEAD_TRANSFERRED, enabled=True
        )
    _case, act = lead_transferred(cast)
    mail.outbox = []
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as captured,
    ):
        act()
    notices = {n.organisation.name: n.pk for n in Notice.objects.filter(kind="lead_transferred")}
    assert set(notices) == {NGO_A, NGO_B}
    mailed = sorted(addresses[to] for message in mail.outbox for to in message.to)
    assert mailed == sorted([personas.NGO_A, personas.NGO_A_SUPERVISOR, personas.NGO_B])
    statements = [q["sql"] for q in captured.captured_queries]
    assert sum(s.startswith('INSERT INTO "notices_notice"') for s in statements) == 1
    members = [s for s in statements if "mail_preference" in s or "notices_mailpreference" in s]
    assert len(members) == 1
