"""A canary file is never on disk in clear: not while its upload is read (over Django's
2.5 MB in-memory default), not in the storage, not in var/ (the database included); and its
download is refused to an organisation without access as for a missing document."""

import tempfile
from pathlib import Path

from django.conf import settings

from documents import views
from documents.models import Document
from documents.services import upload_document
from tests import personas
from tests.documents.files import canary, pdf, uploaded
from tests.factories import UNKNOWN_ID, make_case

# Larger than FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), past which Django's own handlers spill an
# upload to a temporary file.
LARGE = 3 * 1024 * 1024


def files_holding(marker: bytes, *roots: Path) -> list[str]:
    """Every file under the roots whose bytes contain ``marker`` (read in overlapping chunks)."""
    found = []
    for root in roots:
        for path in root.rglob("*"):
            try:
                if not path.is_file() or path.is_symlink():
                    continue
                with path.open("rb") as handle:
                    tail = b""
                    while chunk := handle.read(1 << 20):
                        if marker in tail + chunk:
                            found.append(str(path))
                            break
                        tail = chunk[-len(marker) :]
            except OSError:
                continue  # a file that went away, or a socket
    return found


def test_a_canary_file_is_never_on_disk_in_clear_and_downloads_only_to_its_readers(
    client_for, cast, monkeypatch
):
    case = make_case(cast.ngo_a)
    marker = canary()
    content = pdf(marker * (LARGE // len(marker)))
    assert len(content) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    roots = [Path(settings.VAR_DIR), Path(tempfile.gettempdir())]
    # Scanned while the request is handled too: Django's own handlers would have written the
    # upload to a temporary file by then (and deleted it once the response was sent).
    seen_during = []

    def upload_and_scan(*args, **kwargs):
        seen_during.extend(files_holding(marker, *roots))
        return upload_document(*args, **kwargs)

    monkeypatch.setattr(views, "upload_document", upload_and_scan)
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/documents/",
        {"document-kind": "identity_document", "document-file": uploaded(content, "canary.pdf")},
    )
    assert response.status_code == 302, response.content[-2000:]
    document = Document.objects.get(case=case)
    assert (seen_during, files_holding(marker, *roots)) == ([], [])

    own = client_for(personas.NGO_A).get(f"/cases/{case.pk}/documents/{document.pk}/")
    assert (own.status_code, own.content == content) == (200, True)
    outsider = client_for(personas.NGO_B)
    refused = outsider.get(f"/cases/{case.pk}/documents/{document.pk}/")
    missing = outsider.get(f"/cases/{case.pk}/documents/{UNKNOWN_ID}/")
    assert (refused.status_code, missing.status_code) == (404, 404)
    assert marker not in refused.content
    assert files_holding(marker, *roots) == []
