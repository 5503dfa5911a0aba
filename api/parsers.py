import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing what would otherwise fail later with a 500.

    Deeply nested documents exhaust the recursion limit, and lone surrogates (``"\\ud800"``)
    are valid JSON but not valid Unicode: they cannot be stored, encrypted or echoed in an error.
    A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused before it is read, as Django refuses
    a form's (DRF reads the stream itself, past Django's check in ``HttpRequest.body``).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                # Django's own exception: its 400 handler answers in the API's JSON shape
                # (config.views.bad_request), with the same words as for a page.
                raise RequestDataTooBig("Request body exceeded DATA_UPLOAD_MAX_MEMORY_SIZE.")
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) from None
        except UnicodeEncodeError:
            raise ParseError(_("JSON parse error - the text is not valid Unicode.")) from None
        return data
