import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.consent import record_consent
from cases.models import ConsentScope
from core import crypto
from referral.models import Referral, ReferralState, Urgency
from referral.transitions import accept_referral, decline_referral
from tests import personas
from tests.factories import make_case, person_data
from tests.scenarios import refer

CONFLICT = "no longer possible"


def new_referral(
    cast, sender=personas.NGO_A, receiver=personas.NGO_B, services=("Shelter",), **kwargs
):
    """A fresh case registered by the sender, with consent, referred to the receiver."""
    actor = cast[sender]
    case = make_case(actor, person=kwargs.pop("person", None))
    record_consent(case, actor=actor, scope=ConsentScope.REFERRAL, given=True)
    return refer(case, actor, cast[receiver], *services, **kwargs)


def listed(response) -> list:
    return [r.pk for r in response.context["page"].object_list]


# --- Inbox ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "direction", "expected"),
    [
        (personas.NGO_B, "incoming", ["a_to_b"]),
        (personas.NGO_B, "outgoing", []),
        (personas.NGO_A, "incoming", ["police_to_a"]),
        (personas.NGO_A, "outgoing", ["a_to_health", "a_to_b"]),
        (personas.NGO_A_SUPERVISOR, "outgoing", ["a_to_health", "a_to_b"]),
        (personas.HEALTH, "incoming", ["a_to_health"]),
        (personas.POLICE, "incoming", []),
        (personas.POLICE, "outgoing", ["police_to_a"]),
        (personas.AUTHORITY, "incoming", []),
    ],
)
def test_inbox_lists_the_organisations_own_referrals(
    client_for, cast, username, direction, expected
):
    referrals = {
        "a_to_b": new_referral(cast, personas.NGO_A, personas.NGO_B),
        "a_to_health": new_referral(cast, personas.NGO_A, personas.HEALTH, services=["Medical"]),
        "police_to_a": new_referral(cast, personas.POLICE, personas.NGO_A),
    }
    response = client_for(username).get("/referrals/", {"direction": direction})
    assert response.status_code == 200
    assert listed(response) == [referrals[key].pk for key in expected]


def test_inbox_defaults_to_incoming_with_pending_first_most_urgent_on_top(client_for, cast):
    routine = new_referral(cast, urgency=Urgency.ROUTINE)
    accepted = new_referral(cast)
    accept_referral(accepted, actor=cast.ngo_b)
    emergency = new_referral(cast, urgency=Urgency.EMERGENCY)
    newest_accepted = new_referral(cast)
    accept_referral(newest_accepted, actor=cast.ngo_b)
    response = client_for(personas.NGO_B).get("/referrals/")
    assert listed(response) == [emergency.pk, routine.pk, newest_accepted.pk, accepted.pk]


def test_inbox_filters_by_state(client_for, cast):
    pending = new_referral(cast)
    accepted = new_referral(cast)
    accept_referral(accepted, actor=cast.ngo_b)
    client = client_for(personas.NGO_B)
    assert listed(client.get("/referrals/", {"state": "accepted"})) == [accepted.pk]
    assert listed(client.get("/referrals/", {"state": "pending"})) == [pending.pk]
    assert listed(client.get("/referrals/", {"direction": "outgoing", "state": "pending"})) == []


def test_inbox_rows_show_reference_sender_services_urgency_and_link(client_for, cast):
    referral = new_referral(cast, urgency=Urgency.EMERGENCY, services=["Shelter", "Legal"])
    body = client_for(personas.NGO_B).get("/referrals/").content.decode()
    assert referral.case.reference in body
    assert f'href="/referrals/{referral.pk}/"' in body
    assert "NGO A" in body
    assert "Legal assistance, Shelter" in body
    assert 'class="tag urgency-emergency danger"' in body


def test_inbox_never_shows_identity(client_for, cast):
    new_referral(cast, person=person_data(given_name="Zainab"))
    body = client_for(personas.NGO_B).get("/referrals/").content.decode()
    assert "Zainab" not in body


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ({}, "No referrals yet."),
        ({"direction": "outgoing"}, "Your organisation has not referred any case yet."),
        ({"state": "declined"}, "No referral in this state."),
    ],
)
def test_inbox_has_empty_states(client_for, query, text):
    body = client_for(personas.HEALTH).get("/referrals/", query).content.decode()
    assert text in body


def test_inbox_ignores_a_bad_filter(client_for, cast):
    referral = new_referral(cast)
    response = client_for(personas.NGO_B).get("/referrals/", {"direction": "sideways"})
    assert listed(response) == [referral.pk]


def test_inbox_paginates(client_for, cast):
    for _ in range(51):
        new_referral(cast)
    client = client_for(personas.NGO_B)
    first = client.get("/referrals/")
    second = client.get("/referrals/", {"page": 2})
    assert (len(listed(first)), len(listed(second))) == (50, 1)


@pytest.mark.parametrize("direction", ["incoming", "outgoing"])
def test_inbox_uses_a_constant_number_of_queries(
    client_for, cast, direction, django_assert_max_num_queries
):
    client = client_for(personas.NGO_B if direction == "incoming" else personas.NGO_A)
    new_referral(cast)
    with django_assert_max_num_queries(20) as few:
        one = client.get("/referrals/", {"direction": direction})
    for _ in range(8):
        new_referral(cast, services=["Shelter", "Legal", "Medical"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        nine = client.get("/referrals/", {"direction": direction})
    assert (len(listed(one)), len(listed(nine))) == (1, 9)


@pytest.mark.parametrize("direction", ["incoming", "outgoing"])
def test_inbox_never_decrypts(client_for, cast, monkeypatch, direction):
    new_referral(cast, reason="Needs a shelter tonight")
    declined = new_referral(cast, reason="Needs a lawyer")
    decline_referral(declined, actor=cast.ngo_b, reason="No capacity")
    client = client_for(personas.NGO_B if direction == "incoming" else personas.NGO_A)

    def refuse(*args, **kwargs):
        raise AssertionError("the inbox decrypted a protected field")

    monkeypatch.setattr(crypto, "decrypt", refuse)
    response = client.get("/referrals/", {"direction": direction})
    assert (response.status_code, len(listed(response))) == (200, 2)


@pytest.mark.parametrize("username", [personas.COMMISSION, personas.ADMIN])
def test_inbox_is_refused_to_roles_without_cases(client_for, username):
    assert client_for(username).get("/referrals/").status_code == 403


# --- Navigation badge ---------------------------------------------------------------------------


def _badge(response):
    (item,) = [i for i in response.context["navigation"] if i["name"] == "referral:inbox"]
    return item["badge"]


@pytest.mark.parametrize(
    ("username", "badge"),
    [
        (personas.NGO_B, 2),
        (personas.NGO_A, 1),
        (personas.NGO_A_SUPERVISOR, 1),
        (personas.HEALTH, 0),
        (personas.AUTHORITY, 1),
    ],
)
def test_navigation_badge_counts_pending_incoming_referrals(client_for, cast, username, badge):
    new_referral(cast, personas.NGO_A, personas.NGO_B)
    new_referral(cast, personas.NGO_A, personas.NGO_B)
    accept_referral(new_referral(cast, personas.NGO_A, personas.NGO_B), actor=cast.ngo_b)
    declined = new_referral(cast, personas.NGO_B, personas.HEALTH, services=["Medical"])
    decline_referral(declined, actor=cast.health, reason="No capacity")
    new_referral(cast, personas.POLICE, personas.NGO_A)
    new_referral(cast, personas.POLICE, personas.AUTHORITY, services=["StatusDecision"])
    response = client_for(username).get("/")
    assert _badge(response) == badge
    body = response.content.decode()
    assert (f'<span class="badge">{badge}</span>' in body) is bool(badge)


def test_navigation_badge_costs_one_count_query(client_for, cast):
    new_referral(cast)
    client = client_for(personas.NGO_B)
    # A page with the navigation and nothing else that counts referrals (the home page's
    # "Needs attention" card counts them too, in its own query).
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/password/")
    counts = [
        q["sql"] for q in queries if "COUNT(" in q["sql"] and '"referral_referral"' in q["sql"]
    ]
    assert (len(counts), _badge(response)) == (1, 1)


def test_navigation_has_no_badge_for_the_commission(client_for, cast):
    new_referral(cast)
    response = client_for(personas.COMMISSION).get("/")
    assert [item["badge"] for item in response.context["navigation"]] == [None] * len(
        response.context["navigation"]
    )


# --- Referral detail ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        (personas.NGO_A, 200),
        (personas.NGO_A_SUPERVISOR, 200),
        (personas.NGO_B, 200),
        (personas.POLICE, 404),
        (personas.HEALTH, 404),
        (personas.AUTHORITY, 404),
        (personas.COMMISSION, 403),
        (personas.ADMIN, 403),
    ],
)
def test_referral_detail_is_for_the_sending_and_receiving_organisations(
    client_for, cast, username, status
):
    referral = new_referral(cast)
    assert client_for(username).get(f"/referrals/{referral.pk}/").status_code == status


def test_referral_detail_of_an_unknown_referral_is_404(client_for):
    url = "/referrals/00000000-0000-0000-0000-000000000000/"
    assert client_for(personas.NGO_B).get(url).status_code == 404


def test_referral_detail_shows_the_profile_but_never_the_identity(client_for, cast):
    referral = new_referral(
        cast,
        person=person_data(given_name="Zainab", family_name="Secret"),
        reason="Needs a safe place tonight",
        urgency=Urgency.URGENT,
        transfers_lead=True,
    )
    for username in (personas.NGO_B, personas.NGO_A):
        response = client_for(username).get(f"/referrals/{referral.pk}/")
        body = response.content.decode()
        assert referral.case.reference in body
        assert referral.case.region.name in body
        # The reason follows identity access: the sender's, not yet the pending receiver's.
        assert ("Needs a safe place tonight" in body) == (username == personas.NGO_A)
        assert "Urgent (within 48 hours)" in body
        assert "on acceptance the receiving organisation leads the case" in body
        assert "Shelter" in body
        assert "Zainab" not in body
        assert "Secret" not in body
    assert (
        client_for(personas.NGO_B).get(f"/referrals/{referral.pk}/").context["case_access"]
        == "profile"
    )


@pytest.mark.parametrize(
    ("username", "accepted", "actions"),
    [
        (personas.NGO_B, False, ["accept", "decline"]),
        (personas.NGO_A, False, ["cancel"]),
        (personas.NGO_A_SUPERVISOR, False, ["cancel"]),
        (personas.NGO_B, True, ["complete"]),
        (personas.NGO_A, True, ["end"]),
    ],
)
def test_referral_detail_offers_only_the_allowed_actions(
    client_for, cast, username, accepted, actions
):
    referral = new_referral(cast)
    if accepted:
        accept_referral(referral, actor=cast.ngo_b)
    response = client_for(username).get(f"/referrals/{referral.pk}/")
    assert response.context["actions"] == actions
    body = response.content.decode()
    offered = [
        name
        for name in ("accept", "decline", "complete", "end", "cancel")
        if f'action="/referrals/{referral.pk}/{name}/"' in body
    ]
    assert offered == actions


@pytest.mark.parametrize(
    ("username", "action", "accepted_first", "data", "state", "message"),
    [
        (personas.NGO_B, "accept", False, {}, ReferralState.ACCEPTED, "Referral accepted."),
        (
            personas.NGO_B,
            "decline",
            False,
            {"reason": "No beds"},
            ReferralState.DECLINED,
            "Referral declined.",
        ),
        (personas.NGO_A, "cancel", False, {}, ReferralState.CANCELLED, "Referral cancelled."),
        (personas.NGO_B, "complete", True, {}, ReferralState.COMPLETED, "Referral completed."),
    ],
)
def test_referral_answers_through_the_ui_change_the_state(
    client_for, cast, username, action, accepted_first, data, state, message
):
    referral = new_referral(cast)
    if accepted_first:
        accept_referral(referral, actor=cast.ngo_b)
    url = f"/referrals/{referral.pk}/"
    response = client_for(username).post(f"{url}{action}/", data, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert Referral.objects.get(pk=referral.pk).state == state
    assert message in response.content.decode()


def test_accepting_gives_the_receiver_the_identity(client_for, cast):
    referral = new_referral(cast, person=person_data(given_name="Zainab"))
    client = client_for(personas.NGO_B)
    client.post(f"/referrals/{referral.pk}/accept/")
    assert "Zainab" in client.get(f"/cases/{referral.case_id}/").content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_decline_without_a_reason_shows_a_form_error_and_changes_nothing(client_for, cast, reason):
    referral = new_referral(cast)
    response = client_for(personas.NGO_B).post(
        f"/referrals/{referral.pk}/decline/", {"reason": reason}
    )
    assert response.status_code == 200
    assert list(response.context["decline_form"].errors) == ["reason"]
    assert "Give a reason for declining." in response.content.decode()
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.state, referral.decline_reason, referral.decided_at) == (
        ReferralState.PENDING,
        None,
        None,
    )


def test_a_second_accept_shows_the_conflict_message(client_for, cast):
    referral = new_referral(cast)
    accept_referral(referral, actor=cast.ngo_b)
    url = f"/referrals/{referral.pk}/"
    response = client_for(personas.NGO_B).post(f"{url}accept/", follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert CONFLICT in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.ACCEPTED


@pytest.mark.parametrize("action", ["decline", "cancel"])
def test_an_answer_after_acceptance_shows_the_conflict_message(client_for, cast, action):
    referral = new_referral(cast)
    accept_referral(referral, actor=cast.ngo_b)
    username = personas.NGO_A if action == "cancel" else personas.NGO_B
    response = client_for(username).post(
        f"/referrals/{referral.pk}/{action}/", {"reason": "Too late"}, follow=True
    )
    assert CONFLICT in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.ACCEPTED


@pytest.mark.parametrize(
    ("username", "action", "status"),
    [
        (personas.NGO_A, "accept", 403),
        (personas.NGO_A, "decline", 403),
        (personas.NGO_B, "cancel", 403),
        (personas.HEALTH, "accept", 404),
        (personas.POLICE, "cancel", 404),
        (personas.COMMISSION, "accept", 403),
    ],
)
def test_referral_answers_are_refused_to_the_wrong_party(
    client_for, cast, username, action, status
):
    referral = new_referral(cast)
    response = client_for(username).post(
        f"/referrals/{referral.pk}/{action}/", {"reason": "Not mine"}
    )
    assert response.status_code == status
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.PENDING


def test_referral_answers_need_post(client_for, cast):
    referral = new_referral(cast)
    assert client_for(personas.NGO_B).get(f"/referrals/{referral.pk}/accept/").status_code == 405
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.PENDING


def test_the_decline_reason_is_shown_to_the_sender_only(client_for, cast):
    referral = new_referral(cast)
    decline_referral(referral, actor=cast.ngo_b, reason="No beds left this week")
    shown = {
        username: "No beds left this week"
        in client_for(username).get(f"/referrals/{referral.pk}/").content.decode()
        for username in (personas.NGO_A, personas.NGO_B)
    }
    assert shown == {personas.NGO_A: True, personas.NGO_B: False}
    # The receiver keeps the referral record but no longer sees the case.
    response = client_for(personas.NGO_B).get(f"/referrals/{referral.pk}/")
    assert response.context["case_access"] is None
    assert client_for(personas.NGO_B).get(f"/cases/{referral.case_id}/").status_code == 404
