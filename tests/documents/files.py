"""Small files of each kind, made in code, and the one way tests add a document."""

import secrets

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.services import upload_document

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def pdf(body: bytes = b"") -> bytes:
    return b"%PDF-1.4\n" + body + b"\n%%EOF\n"


def jpeg(body: bytes = b"") -> bytes:
    return b"\xff\xd8\xff\xe0" + body + b"\xff\xd9"


def png(body: bytes = b"") -> bytes:
    return PNG_SIGNATURE + body


def canary() -> bytes:
    """Bytes nothing else holds, to look for on disk."""
    return b"CANARY-" + secrets.token_hex(24).encode()


def uploaded(content: bytes, name: str = "scan.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def add(case, actor, content: bytes | None = None, *, kind="identity_document", **options):
    """``actor`` adds a document (a small PDF unless ``content``) to the case."""
    return upload_document(
        case,
        actor=actor,
        file=uploaded(pdf() if content is None else content, options.pop("name", "scan.pdf")),
        kind=kind,
        **options,
    )
