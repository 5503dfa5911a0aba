"""The write paths and the audit check, as figures; every write is undone after it is timed.

- registration: ``cases.registration.register_case`` by the police officer, a new person each
  run (encryption of the identity, the blind indexes and the duplicate lookup, the reference
  counter, access rows, auditlog entries and their chain links);
- referral accept: ``referral.transitions.accept_referral`` of one pending referral to the
  user's organisation, the same referral every run (each run is rolled back);
- document upload and download: ``documents.services.upload_document`` of a 30 kB PDF, and
  ``documents.selectors.document_for_download`` of a seeded document by its uploader;
- ``verify_audit_log``: ``audit.verification.verify`` over the log after ``entries`` synthetic
  entries are added (in a transaction rolled back), scaled to 100,000 entries.

Each run is a transaction rolled back with the deferred constraints immediate
(``figures.rolled_back``), so the audit chain's link is written and timed but not kept. What
stays: the sealed files of the timed uploads are deleted afterwards (the storage is not
transactional); mail and notices queued ``on_commit`` are never sent, and not in the figures.
"""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.entries import record_event
from audit.events import Event
from audit.models import AuditEntry
from audit.verification import verify
from cases.models import Case, Stage
from cases.registration import CaseData, PersonData, register_case
from documents.models import Document, DocumentKind
from documents.selectors import document_for_download
from documents.services import upload_document
from documents.storage import remove_sealed
from reference.models import ExploitationForm, Nationality, Region
from referral.models import Referral, ReferralState
from referral.transitions import accept_referral

from .figures import Figure, measure, rolled_back

PER_ENTRIES = 100_000
# A small PDF (the upload checks the signature and the size, never parses): about the size of
# a one-page scan's text layer, made here as benchmarks may not import demo/.
UPLOAD = b"%PDF-1.4\n" + b"% bench upload\n" * 2_000 + b"%%EOF\n"
AUDIT_DATA = {"from": "assistance", "to": "closed", "reason": "closure:bench"}


def registration_figure(actor, *, runs: int) -> Figure:
    """A new person each run: an identical one would be flagged a duplicate of the last."""
    numbers = itertools.count(1)
    region = Region.objects.order_by("code").first()
    forms = list(ExploitationForm.objects.order_by("code")[:1])
    nationality = Nationality.objects.order_by("code").first()

    def once():
        n = next(numbers)
        person = PersonData(
            given_name=f"Bench{n}",
            family_name=f"Registration{n}",
            sex="female",
            date_of_birth=datetime.date(1990, 1, 1) + datetime.timedelta(days=n % 3000),
            nationality=nationality,
            document_number=f"BENCH{n:07d}",
            phone=f"+2126{n:08d}",
            address=f"{n} rue du banc",
        )
        case = CaseData(
            identified_on=timezone.localdate(),
            region=region,
            exploitation_forms=forms,
            summary="Identified during a labour inspection; needs shelter tonight.",
        )
        return register_case(actor=actor, person=person, case=case)

    return measure("registration police", once, runs=runs, around=rolled_back)


def accept_figure(actor, *, runs: int) -> Figure | None:
    """None when no referral to the actor's organisation is pending."""
    referral = (
        Referral.objects.filter(state=ReferralState.PENDING, to_organisation=actor.organisation)
        .order_by("-created_at")
        .first()
    )
    if referral is None:
        return None
    return measure(
        f"referral accept {actor.username}",
        lambda: accept_referral(referral, actor=actor),
        runs=runs,
        around=rolled_back,
    )


def upload_figure(actor, *, runs: int) -> Figure | None:
    """An upload of a 30 kB PDF to the actor's newest open case that they lead."""
    case = (
        Case.objects.filter(lead_organisation=actor.organisation)
        .exclude(stage=Stage.CLOSED)
        .order_by("-created_at")
        .first()
    )
    if case is None:
        return None
    content = UPLOAD
    stored = []

    def once():
        file = SimpleUploadedFile("consent.pdf", content, content_type="application/pdf")
        document = upload_document(case, actor=actor, file=file, kind=DocumentKind.CONSENT_FORM)
        stored.append(document.stored_name)

    try:
        return measure(f"document upload {actor.username}", once, runs=runs, around=rolled_back)
    finally:
        # The rows are rolled back; the sealed files are not, the storage being a directory.
        for name in stored:
            remove_sealed(name)


def download_figure(*, runs: int) -> Figure | None:
    """A download of a seeded document by the one who uploaded it."""
    document = Document.objects.select_related("uploaded_by").order_by("-pk").first()
    if document is None or document.uploaded_by is None:
        return None
    user = document.uploaded_by
    return measure(
        f"document download {user.username}",
        lambda: document_for_download(user, document.pk, channel="bench"),
        runs=runs,
        around=rolled_back,
    )


def verify_figure(*, entries: int, runs: int) -> Figure:
    """``verify`` timed over the log plus ``entries`` added entries, scaled to 100,000 entries
    (the check is linear: one digest and one hash per entry, in batches of 2,000)."""
    target = ContentType.objects.get_for_model(AuditEntry)
    links = []

    def add_entries():
        for _ in range(entries):
            record_event(target, actor=None, event=Event.CLOSE, **AUDIT_DATA)

    def once():
        report = verify()
        links.append(report.links)
        if report.problems:
            raise RuntimeError(f"the audit log does not verify: {report.problems[0]}")

    with rolled_back():
        add_entries()
        figure = measure("verify", once, runs=runs, warmup=0)
    scale = PER_ENTRIES / max(links[-1], 1)
    return Figure(
        name=f"verify_audit_log per {PER_ENTRIES:,} entries (from {links[-1]:,})",
        median_ms=round(figure.median_ms * scale, 1),
        p95_ms=round(figure.p95_ms * scale, 1),
        queries=round(figure.queries * scale),
    )
