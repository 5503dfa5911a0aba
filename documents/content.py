"""What a file is, by its content: the first bytes (magic numbers), never its name or the
content type the client claims."""

from documents.models import FileType

SIGNATURES = (
    (b"%PDF-", FileType.PDF),
    (b"\xff\xd8\xff", FileType.JPEG),
    (b"\x89PNG\r\n\x1a\n", FileType.PNG),
)
# Enough bytes for the longest signature.
HEAD_SIZE = max(len(signature) for signature, _type in SIGNATURES)


def file_type_of(content: bytes) -> str | None:
    """The accepted type the content starts with, else None."""
    for signature, file_type in SIGNATURES:
        if content.startswith(signature):
            return file_type
    return None
