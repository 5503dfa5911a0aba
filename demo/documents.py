"""A few synthetic documents on the demo cases, added through the documents service (so they
are sealed and audited as any upload): small PDFs and PNGs made here, no personal data."""

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from accounts.roles import FRONTLINE_ROLES
from cases.models import Case, Stage
from documents.models import DocumentKind
from documents.services import upload_document

CASES = 5


def demo_pdf(title: str) -> bytes:
    """A one-page PDF with one line of text (its cross-reference table computed)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_png(width: int = 64, height: int = 40) -> bytes:
    """A grey PNG with a darker band (a stand-in for a scanned card)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes([90 if 12 <= y < 20 else 200]) * width for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def seed_documents(*, cases: int = CASES) -> int:
    """Add a consent form (PDF) and an identity card scan (PNG) to up to ``cases`` open demo
    cases that have no document yet, each by a frontline member of the case's lead
    organisation. Returns how many documents were added."""
    added = 0
    open_cases = (
        Case.objects.exclude(stage=Stage.CLOSED)
        .filter(documents__isnull=True)
        .select_related("lead_organisation")
        .order_by("-created_at")[:cases]
    )
    for case in open_cases:
        actor = (
            User.objects.filter(
                organisation_id=case.lead_organisation_id,
                role__in=FRONTLINE_ROLES,
                is_active=True,
            )
            .order_by("pk")
            .first()
        )
        if actor is None:
            continue
        for kind, name, content, media_type in (
            (
                DocumentKind.CONSENT_FORM,
                "consent.pdf",
                demo_pdf("Signed consent (demo)"),
                "application/pdf",
            ),
            (DocumentKind.IDENTITY_DOCUMENT, "id-card.png", demo_png(), "image/png"),
        ):
            upload_document(
                case,
                actor=actor,
                file=SimpleUploadedFile(name, content, content_type=media_type),
                kind=kind,
            )
            added += 1
    return added
