"""The case page's Documents section: the upload form opened on demand, a refused upload
shown again with its errors, the download as an attachment."""

from audit.models import AuditEntry
from cases.dispatch import take_transition
from documents.models import Document
from tests import personas
from tests.documents.files import add, png, uploaded
from tests.factories import make_case


def post_upload(client, case, file, kind="identity_document", **extra):
    data = {"document-kind": kind, **extra}
    if file is not None:
        data["document-file"] = file
    return client.post(f"/cases/{case.pk}/documents/", data)


def test_the_case_page_lists_documents_and_offers_the_upload_on_demand(client_for, cast):
    case = make_case(cast.ngo_a)
    document = add(case, cast.ngo_a, name="Scan 1.pdf")
    response = client_for(personas.NGO_A).get(f"/cases/{case.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store")
    assert f'href="/cases/{case.pk}/documents/{document.pk}/"' in html
    assert "Scan 1.pdf" in html
    assert '<details class="action no-print">' in html
    assert 'enctype="multipart/form-data"' in html


def test_an_upload_through_the_page_adds_the_document(client_for, cast):
    case = make_case(cast.ngo_a)
    response = post_upload(
        client_for(personas.NGO_A), case, uploaded(png(b"x" * 100), "p.png", "image/png")
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    document = Document.objects.get(case=case)
    assert (document.file_type, document.uploaded_by, document.organisation_id) == (
        "png",
        cast.ngo_a,
        cast.ngo_a.organisation_id,
    )


def test_a_bad_file_type_shows_the_page_again_with_the_error_and_saves_nothing(client_for, cast):
    case = make_case(cast.ngo_a)
    response = post_upload(
        client_for(personas.NGO_A), case, uploaded(b"GIF89a", "x.pdf"), kind="court_document"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "not a PDF, JPEG or PNG" in html
    assert '<details class="action no-print" open>' in html
    assert '<option value="court_document" selected>' in html
    assert Document.objects.filter(case=case).count() == 0


def test_a_missing_file_is_a_form_error(client_for, cast):
    case = make_case(cast.ngo_a)
    response = post_upload(client_for(personas.NGO_A), case, None)
    assert response.status_code == 400
    assert "Choose a file to upload." in response.content.decode()


def test_a_closed_case_refuses_the_upload_with_a_message(client_for, cast):
    case = make_case(cast.ngo_a)
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
    )
    client = client_for(personas.NGO_A)
    assert (
        'action="/cases/' + str(case.pk) + '/documents/"'
        not in client.get(f"/cases/{case.pk}/").content.decode()
    )
    response = post_upload(client, case, uploaded(png(), "p.png"))
    assert response.status_code == 409
    assert "The case is closed. Reopen it to add documents." in response.content.decode()
    assert Document.objects.filter(case=case).count() == 0


def test_the_download_is_an_audited_attachment_never_cached_or_sniffed(client_for, cast):
    case = make_case(cast.ngo_a)
    document = add(case, cast.ngo_a, png(b"image"), kind="consent_form", name="Amina.png")
    response = client_for(personas.NGO_A).get(f"/cases/{case.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response.content == png(b"image")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        f'attachment; filename="consent_form-{case.reference}-{document.pk.hex[:8]}.png"'
    )
    assert response["Cache-Control"].startswith("no-store")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Amina" not in response["Content-Disposition"]
    access = AuditEntry.objects.filter(
        object_pk=str(document.pk), action=AuditEntry.Action.ACCESS
    ).values_list("additional_data", flat=True)
    assert list(access) == [
        {"organisation": cast.ngo_a.organisation_id, "channel": "ui", "case": str(case.pk)}
    ]


def test_a_document_of_another_case_is_not_found_under_this_one(client_for, cast):
    case, other = make_case(cast.ngo_a), make_case(cast.ngo_a)
    document = add(case, cast.ngo_a)
    response = client_for(personas.NGO_A).get(f"/cases/{other.pk}/documents/{document.pk}/")
    assert response.status_code == 404


def test_documents_pages_are_for_case_roles_only(client_for, cast):
    case = make_case(cast.ngo_a)
    document = add(case, cast.ngo_a)
    client = client_for(personas.COMMISSION)
    assert client.get(f"/cases/{case.pk}/documents/{document.pk}/").status_code == 403
    assert post_upload(client, case, uploaded(png())).status_code == 403
