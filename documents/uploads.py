"""The project's one upload handler (``FILE_UPLOAD_HANDLERS``): every uploaded file stays in
memory, never in a temporary file, so no document is ever on disk in clear, not even while
its request is read.

Django's default handlers keep uploads up to 2.5 MB in memory and write larger ones to a
temporary file as they arrive. This one keeps at most ``NRM_DOCUMENT_MAX_BYTES`` of files per
request in memory; past that a file's bytes are counted and dropped, and it arrives as an
``OversizedUpload`` (empty, with the size that was sent) which the document service refuses
with a clear message.
"""

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers


class OversizedUpload(UploadedFile):
    """A file larger than the limit: its name and the size sent, none of its content."""

    oversized = True

    def __init__(self, *, name, content_type, size, charset=None, content_type_extra=None):
        super().__init__(BytesIO(), name, content_type, size, charset, content_type_extra)


class MemoryOnlyUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.kept = 0  # bytes of files held in memory for this request

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.received = 0
        self.oversized = False
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.oversized:
            return None
        if self.kept + len(raw_data) > settings.NRM_DOCUMENT_MAX_BYTES:
            self.oversized = True
            self.kept -= self.buffer.tell()
            self.buffer = BytesIO()
            return None
        self.buffer.write(raw_data)
        self.kept += len(raw_data)
        return None

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedUpload(
                name=self.file_name,
                content_type=self.content_type,
                size=self.received,
                charset=self.charset,
                content_type_extra=self.content_type_extra,
            )
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
