"""rotate_field_keys re-wraps every document's data key under the first key; the sealed file
itself is not touched, and opens once the old key is gone."""

import base64
import io
import os

from django.core.management import call_command

from documents.models import Document
from documents.storage import read_sealed
from tests import personas
from tests.documents.files import add, canary, pdf
from tests.factories import make_case


def key(kid: str) -> str:
    return f"{kid}:{base64.b64encode(os.urandom(32)).decode()}"


def test_rotation_rewraps_the_data_keys_and_leaves_the_files_alone(settings, cast, client_for):
    old, new = key("old1"), key("new1")
    settings.FIELD_ENCRYPTION_KEYS = old
    case = make_case(cast.ngo_a)
    content = pdf(canary())
    documents = [add(case, cast.ngo_a, content) for _ in range(3)]
    sealed_before = {d.pk: read_sealed(d.stored_name) for d in documents}
    wrapped_before = {
        d.pk: bytes(Document.objects.get(pk=d.pk).__dict__["data_key"].blob) for d in documents
    }
    assert {Document.objects.get(pk=d.pk).key_id for d in documents} == {"old1"}

    settings.FIELD_ENCRYPTION_KEYS = f"{new},{old}"
    call_command("rotate_field_keys", "--batch-size", "2", stdout=io.StringIO())

    rotated = {d.pk: Document.objects.get(pk=d.pk) for d in documents}
    assert {d.key_id for d in rotated.values()} == {"new1"}
    assert all(
        bytes(d.__dict__["data_key"].blob) != wrapped_before[pk] for pk, d in rotated.items()
    )
    assert {pk: read_sealed(d.stored_name) for pk, d in rotated.items()} == sealed_before

    settings.FIELD_ENCRYPTION_KEYS = new
    response = client_for(personas.NGO_A).get(f"/cases/{case.pk}/documents/{documents[0].pk}/")
    assert (response.status_code, response.content == content) == (200, True)
