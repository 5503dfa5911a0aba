"""Who adds and who reads a case's documents, by role and relation, through the API and the UI.

The expectations are written out here from the issue (uploads as notes: frontline roles of the
lead organisation or of an accepted referral; reads as notes: the organisations that see the
case's identity; a pending receiver sees nothing), never read from documents.rules.
"""

import pytest

from documents.models import Document
from tests import personas
from tests.api.conftest import case_url
from tests.documents.files import add, pdf, uploaded
from tests.scenarios import (
    ACCEPTED,
    LEAD_ONLY,
    NONE,
    PENDING,
    REGISTERING_AND_LEAD,
    REGISTERING_ONLY,
    RELATIONS,
    case_where,
    other_frontline,
)

FRONTLINE = {personas.POLICE, personas.HEALTH, personas.NGO_A, personas.NGO_A_SUPERVISOR}
FRONTLINE |= {personas.NGO_B}
WRITES = {ACCEPTED, REGISTERING_AND_LEAD, LEAD_ONLY}
READS = {ACCEPTED, REGISTERING_AND_LEAD, LEAD_ONLY, REGISTERING_ONLY}
# The status authority registers no case and takes no lead.
TABLE = [
    (persona, relation)
    for persona in [*sorted(FRONTLINE), personas.AUTHORITY]
    for relation in RELATIONS
    if persona in FRONTLINE or relation in (NONE, PENDING, ACCEPTED)
]


def may_write(persona, relation) -> bool:
    return persona in FRONTLINE and relation in WRITES


def may_read(persona, relation) -> bool:
    return relation in READS


def shared_document(cast, persona, case):
    """A shared document added by the lead organisation (the persona's, or the other's)."""
    user = cast[persona]
    lead = user if case.lead_organisation_id == user.organisation_id else None
    return add(case, lead or other_frontline(cast, user))


@pytest.mark.parametrize(("persona", "relation"), TABLE)
def test_who_adds_a_document_through_the_api(api_for, cast, persona, relation):
    case = case_where(cast, persona, relation)
    response = api_for(persona).post(
        case_url(case, "documents"), {"file": uploaded(pdf()), "kind": "court_document"}
    )
    refused = 404 if relation == NONE else 403
    expected = 201 if may_write(persona, relation) else refused
    assert response.status_code == expected, response.content
    assert Document.objects.filter(case=case).count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize(("persona", "relation"), TABLE)
def test_who_reads_a_document_through_the_api(api_for, cast, persona, relation):
    case = case_where(cast, persona, relation)
    document = shared_document(cast, persona, case)
    client = api_for(persona)
    listed = client.get(case_url(case, "documents"))
    download = client.get(f"/api/v1/documents/{document.pk}/download/")
    if may_read(persona, relation):
        assert (listed.status_code, download.status_code) == (200, 200)
        assert [d["id"] for d in listed.json()["results"]] == [str(document.pk)]
    else:
        assert (listed.status_code, download.status_code) == (
            404 if relation == NONE else 403,
            404,
        )


@pytest.mark.parametrize(("persona", "relation"), TABLE)
def test_who_downloads_and_is_offered_the_upload_on_the_case_page(
    client_for, cast, persona, relation
):
    case = case_where(cast, persona, relation)
    document = shared_document(cast, persona, case)
    client = client_for(persona)
    download = client.get(f"/cases/{case.pk}/documents/{document.pk}/")
    assert download.status_code == (200 if may_read(persona, relation) else 404)
    page = client.get(f"/cases/{case.pk}/")
    if relation == NONE:
        assert page.status_code == 404
        return
    html = page.content.decode()
    assert ('id="documents"' in html) == may_read(persona, relation)
    assert (f'action="/cases/{case.pk}/documents/"' in html) == may_write(persona, relation)


def test_a_document_of_an_organisation_s_own_is_read_by_it_alone(api_for, cast):
    case = case_where(cast, personas.NGO_B, ACCEPTED)
    lead = other_frontline(cast, cast.ngo_b)
    own = add(case, lead, kind="medical_certificate")
    shared = add(case, lead)
    listed = api_for(personas.NGO_B).get(case_url(case, "documents")).json()["results"]
    assert [d["id"] for d in listed] == [str(shared.pk)]
    assert api_for(personas.NGO_B).get(f"/api/v1/documents/{own.pk}/download/").status_code == (404)
    lead_name = next(p for p in personas.ALL if cast[p].pk == lead.pk)
    assert api_for(lead_name).get(f"/api/v1/documents/{own.pk}/download/").status_code == 200
