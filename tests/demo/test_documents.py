"""demo.documents: synthetic PDFs and PNGs added through the documents service."""

from demo.documents import demo_pdf, demo_png, seed_documents
from documents.content import file_type_of
from documents.models import Document
from documents.selectors import document_for_download
from tests.factories import make_case


def test_the_demo_files_are_of_accepted_types():
    assert (file_type_of(demo_pdf("x")), file_type_of(demo_png())) == ("pdf", "png")


def test_seed_documents_adds_two_to_open_cases_without_any_once(cast):
    case = make_case(cast.ngo_a)
    added = seed_documents(cases=1)
    assert (added, Document.objects.filter(case=case).count()) == (2, 2)
    assert seed_documents(cases=1) in (0, 2)  # another case, never this one again
    assert Document.objects.filter(case=case).count() == 2
    document = Document.objects.filter(case=case, file_type="png").get()
    assert document_for_download(cast.ngo_a, document.pk, channel="ui")[1] == demo_png()
