"""Role × URL access matrix: every persona × list / detail / create × UI / API.

Detail is tried on a case of the persona's own organisation, a foreign case and a case that
does not exist. The expectations are written out from DESIGN.md and API.md.
"""

import uuid

import pytest

from cases.consent import record_consent
from referral.transitions import accept_referral
from tests import personas
from tests.factories import make_case
from tests.scenarios import refer

FRONTLINE = {
    personas.POLICE,
    personas.HEALTH,
    personas.NGO_A,
    personas.NGO_A_SUPERVISOR,
    personas.NGO_B,
}
OPERATIONAL = FRONTLINE | {personas.AUTHORITY}
NO_CASE_ROLE = {personas.COMMISSION, personas.COORDINATOR, personas.ADMIN}

UI_FORM = {
    "given_name": "Matrix",
    "sex": "unknown",
    "identified_on": "2026-11-01",
    "region": "MA-06",
    "exploitation_forms": ["Other"],
}
API_BODY = {
    "person": {"given_name": "Matrix", "sex": "unknown"},
    "identified_on": "2026-11-01",
    "region": "MA-06",
    "exploitation_forms": ["Other"],
}


def expected(persona: str, action: str, target: str | None, channel: str) -> int:
    if persona in NO_CASE_ROLE:
        return 403
    if action == "list":
        return 200
    if action == "create":
        if persona not in FRONTLINE:
            return 403
        return 302 if channel == "ui" else 201
    return 200 if target == "own" else 404


def own_case(cast, persona):
    """A case the persona's organisation sees with identity (registered, or referred to it)."""
    if persona in FRONTLINE:
        return make_case(cast[persona])
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    if persona == personas.AUTHORITY:
        accept_referral(
            refer(case, cast.ngo_a, "Prosecutor's office", "StatusDecision"), actor=cast.authority
        )
    return case


def foreign_case(cast, persona):
    registrar = (
        cast.ngo_b if cast[persona].organisation_id != cast.ngo_b.organisation_id else cast.police
    )
    return make_case(registrar)


MATRIX = [
    (persona, action, target, channel)
    for persona in personas.ALL
    for channel in ("ui", "api")
    for action, targets in (
        ("list", [None]),
        ("create", [None]),
        ("detail", ["own", "foreign", "missing"]),
    )
    for target in targets
]


@pytest.mark.parametrize(("persona", "action", "target", "channel"), MATRIX)
def test_access_matrix(cast, client_for, persona, action, target, channel):
    client = client_for(persona)
    prefix = "/cases/" if channel == "ui" else "/api/v1/cases/"
    if action == "list":
        response = client.get(prefix)
    elif action == "create":
        if channel == "ui":
            response = client.post("/cases/register/", UI_FORM)
        else:
            response = client.post(prefix, API_BODY, content_type="application/json")
    else:
        case_id = {
            "own": lambda: own_case(cast, persona).pk,
            "foreign": lambda: foreign_case(cast, persona).pk,
            "missing": uuid.uuid4,
        }[target]()
        response = client.get(f"{prefix}{case_id}/")
    assert response.status_code == expected(persona, action, target, channel)


@pytest.mark.parametrize("channel", ["ui", "api"])
def test_list_shows_own_cases_only(cast, client_for, channel):
    mine = make_case(cast.ngo_a)
    theirs = make_case(cast.ngo_b)
    client = client_for(personas.NGO_A)
    if channel == "ui":
        ids = [c.pk for c in client.get("/cases/").context["page"].object_list]
    else:
        ids = [uuid.UUID(c["id"]) for c in client.get("/api/v1/cases/").json()["results"]]
    assert mine.pk in ids
    assert theirs.pk not in ids


@pytest.mark.parametrize(
    ("url", "method"),
    [
        ("/cases/", "get"),
        ("/cases/register/", "get"),
        ("/api/v1/cases/", "get"),
        ("/api/v1/me/", "get"),
    ],
)
def test_anonymous_visitors_get_nothing(db, client, url, method):
    response = getattr(client, method)(url)
    if url.startswith("/api/"):
        assert response.status_code == 401
        assert "WWW-Authenticate" in response
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_pending_receiver_sees_profile_without_identity(cast, client_for):
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    refer(case, cast.ngo_a, "NGO B")
    client = client_for(personas.NGO_B)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert case.reference in page
    assert case.person.given_name not in page
    data = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert (data["person"], data["summary"], data["reference"]) == (None, None, case.reference)
