"""documents.services.upload_document: checked, sealed, stored sealed, audited by ids."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages

from audit.models import AuditEntry
from cases.dispatch import take_transition
from core.errors import InvalidTransition
from documents import sealing
from documents.models import Document
from documents.services import upload_document
from documents.storage import read_sealed
from documents.uploads import OversizedUpload
from tests.documents.files import add, canary, jpeg, pdf, png, uploaded
from tests.factories import make_case


def stored_names() -> list[str]:
    return storages["documents"].listdir("")[1]


def test_a_document_is_stored_sealed_under_its_id(cast):
    case = make_case(cast.ngo_a)
    secret = canary()
    document = add(case, cast.ngo_a, pdf(secret), name="amina-passport.pdf")
    document = Document.objects.get(pk=document.pk)
    stored = read_sealed(document.stored_name)
    assert (document.stored_name, document.file_type, document.size) == (
        f"{document.pk}.sealed",
        "pdf",
        len(pdf(secret)),
    )
    assert secret not in stored
    assert "amina" not in document.stored_name
    opened = sealing.open_sealed(
        stored, data_key=document.data_key, case_id=case.pk, document_id=document.pk
    )
    assert opened == pdf(secret)
    assert document.original_name == "amina-passport.pdf"


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [(pdf(), "x.bin", "pdf"), (jpeg(), "photo.pdf", "jpeg"), (png(), "noext", "png")],
)
def test_the_type_is_the_content_s_not_the_name_s(cast, content, name, expected):
    document = add(make_case(cast.ngo_a), cast.ngo_a, content, name=name)
    assert document.file_type == expected


def test_a_medical_certificate_stays_within_the_organisation_by_default(cast):
    case = make_case(cast.ngo_a)
    assert [
        add(case, cast.ngo_a, kind=kind).visibility
        for kind in ("medical_certificate", "identity_document")
    ] == ["own", "shared"]
    assert add(case, cast.ngo_a, kind="medical_certificate", visibility="shared").visibility == (
        "shared"
    )


def refused(case, actor, file, **options) -> dict:
    before = (Document.objects.count(), sorted(stored_names()))
    with pytest.raises(ValidationError) as error:
        upload_document(
            case,
            actor=actor,
            file=file,
            kind=options.pop("kind", "other"),
            **options,
        )
    assert (Document.objects.count(), sorted(stored_names())) == before
    return error.value.message_dict


@pytest.mark.parametrize(
    "file",
    [
        uploaded(b"GIF89a not accepted", "x.pdf"),
        uploaded(b"<html>", "x.png", "image/png"),
        uploaded(b"MZ\x90\x00 an executable", "scan.pdf"),
    ],
)
def test_a_file_of_another_type_is_refused_with_a_clear_error_and_nothing_saved(cast, file):
    errors = refused(make_case(cast.ngo_a), cast.ngo_a, file)
    assert list(errors) == ["file"]
    assert "not a PDF, JPEG or PNG" in errors["file"][0]


def test_no_file_an_empty_one_and_an_oversized_one_are_refused(cast, settings):
    settings.NRM_DOCUMENT_MAX_BYTES = 2048
    case = make_case(cast.ngo_a)
    assert refused(case, cast.ngo_a, None) == {"file": ["Choose a file to upload."]}
    assert refused(case, cast.ngo_a, uploaded(b"")) == {"file": ["The file is empty."]}
    too_large = refused(case, cast.ngo_a, uploaded(pdf(b"x" * 2048)))
    assert "larger than 2.0" in too_large["file"][0]
    oversized = OversizedUpload(name="a.pdf", content_type="application/pdf", size=5000)
    assert refused(case, cast.ngo_a, oversized) == too_large


def test_an_unknown_kind_or_visibility_is_refused(cast):
    errors = refused(
        make_case(cast.ngo_a), cast.ngo_a, uploaded(pdf()), kind="diary", visibility="all"
    )
    assert sorted(errors) == ["kind", "visibility"]


def test_a_closed_case_takes_no_document(cast):
    case = make_case(cast.ngo_a)
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
    )
    with pytest.raises(InvalidTransition):
        add(case, cast.ngo_a)
    assert Document.objects.filter(case=case).count() == 0


def test_the_rule_is_asked_before_the_file(cast):
    with pytest.raises(PermissionDenied):
        refused_case = make_case(cast.ngo_a)
        add(refused_case, cast.ngo_b, b"not even a pdf")


def test_the_audit_entries_name_ids_never_the_file_name_or_content(cast):
    case = make_case(cast.ngo_a)
    secret = canary()
    document = add(case, cast.ngo_a, pdf(secret), name="Amina Doe passport.pdf")
    entries = AuditEntry.objects.filter(object_pk__in=[str(case.pk), str(document.pk)])
    text = " ".join(
        f"{e.object_repr} {e.changes} {e.additional_data} {e.changes_text}" for e in entries
    )
    assert "Amina" not in text
    assert secret.decode() not in text
    event = entries.get(additional_data__event="document_uploaded")
    assert event.additional_data == {
        "event": "document_uploaded",
        "organisation": cast.ngo_a.organisation_id,
        "document": str(document.pk),
        "kind": "identity_document",
        "file_type": "pdf",
        "size": document.size,
        "visibility": "shared",
    }
