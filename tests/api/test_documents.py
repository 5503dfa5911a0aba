"""POST|GET /api/v1/cases/{id}/documents/ and GET /api/v1/documents/{id}/download/."""

from cases.dispatch import take_transition
from documents.models import Document
from tests import personas
from tests.api.conftest import case_url, post_json
from tests.documents.files import add, canary, jpeg, pdf, uploaded
from tests.factories import UNKNOWN_ID, make_case


def download_url(document) -> str:
    return f"/api/v1/documents/{getattr(document, 'pk', document)}/download/"


def test_a_document_is_added_and_answered_with_its_shape(api_for, cast):
    case = make_case(cast.ngo_a)
    response = api_for(personas.NGO_A).post(
        case_url(case, "documents"),
        {
            "file": uploaded(jpeg(b"photo"), "id card.jpg", "image/jpeg"),
            "kind": "identity_document",
        },
    )
    document = Document.objects.get(case=case)
    assert (response.status_code, response.json()) == (
        201,
        {
            "id": str(document.pk),
            "case": str(case.pk),
            "kind": "identity_document",
            "visibility": "shared",
            "file_type": "jpeg",
            "content_type": "image/jpeg",
            "size": len(jpeg(b"photo")),
            "filename": "id card.jpg",
            "uploaded_by": personas.NGO_A,
            "organisation": cast.ngo_a.organisation_id,
            "created_at": response.json()["created_at"],
            "download": download_url(document),
        },
    )


def test_a_bad_file_type_is_a_400_naming_the_file(api_for, cast):
    case = make_case(cast.ngo_a)
    response = api_for(personas.NGO_A).post(
        case_url(case, "documents"), {"file": uploaded(b"GIF89a", "x.pdf"), "kind": "other"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]
    assert "not a PDF, JPEG or PNG" in response.json()["errors"]["file"][0]
    assert Document.objects.count() == 0


def test_missing_and_bad_fields_are_400s(api_for, cast):
    case = make_case(cast.ngo_a)
    client = api_for(personas.NGO_A)
    no_file = client.post(case_url(case, "documents"), {"kind": "other"})
    bad_kind = client.post(case_url(case, "documents"), {"file": uploaded(pdf()), "kind": "x"})
    assert (no_file.status_code, no_file.json()) == (
        400,
        {"errors": {"file": ["Choose a file to upload."]}},
    )
    assert (bad_kind.status_code, list(bad_kind.json()["errors"])) == (400, ["kind"])


def test_a_json_body_is_refused_as_unsupported(api_for, cast):
    case = make_case(cast.ngo_a)
    response = post_json(api_for(personas.NGO_A), case_url(case, "documents"), {"kind": "other"})
    assert response.status_code == 415


def test_a_closed_case_takes_no_document_409(api_for, cast):
    case = make_case(cast.ngo_a)
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
    )
    response = api_for(personas.NGO_A).post(
        case_url(case, "documents"), {"file": uploaded(pdf()), "kind": "other"}
    )
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


def test_the_list_is_paginated_newest_first(api_for, cast):
    case = make_case(cast.ngo_a)
    documents = [add(case, cast.ngo_a) for _ in range(3)]
    response = api_for(personas.NGO_A).get(case_url(case, "documents") + "?page_size=2")
    body = response.json()
    assert (response.status_code, body["count"]) == (200, 3)
    assert [d["id"] for d in body["results"]] == [str(d.pk) for d in documents[::-1][:2]]


def test_the_download_is_an_attachment_and_a_stranger_gets_the_404_of_a_missing_one(api_for, cast):
    case = make_case(cast.ngo_a)
    content = pdf(canary())
    document = add(case, cast.ngo_a, content, kind="court_document")
    own = api_for(personas.NGO_A).get(download_url(document))
    assert (own.status_code, own.content == content) == (200, True)
    assert own["Content-Type"] == "application/pdf"
    assert own["Content-Disposition"].startswith(
        f'attachment; filename="court_document-{case.reference}-'
    )
    assert own["Cache-Control"].startswith("no-store")
    assert own["X-Content-Type-Options"] == "nosniff"
    stranger = api_for(personas.NGO_B)
    refused, missing = stranger.get(download_url(document)), stranger.get(download_url(UNKNOWN_ID))
    assert (refused.status_code, refused.json()) == (missing.status_code, missing.json())
    assert refused.status_code == 404
    assert api_for(personas.NGO_A).get(download_url("not-a-uuid")).status_code == 404


def test_documents_need_credentials_and_a_case_role(api_for, cast, client):
    case = make_case(cast.ngo_a)
    document = add(case, cast.ngo_a)
    assert client.get(download_url(document)).status_code == 401
    assert client.get(case_url(case, "documents")).status_code == 401
    assert api_for(personas.COMMISSION).get(download_url(document)).status_code == 403


def test_the_schema_describes_the_documents_endpoints(api_for):
    schema = api_for(personas.NGO_A).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert (
        "multipart/form-data"
        in paths["/api/v1/cases/{id}/documents/"]["post"]["requestBody"]["content"]
    )
    assert "get" in paths["/api/v1/documents/{id}/download/"]
