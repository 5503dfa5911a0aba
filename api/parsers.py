import json

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing what would otherwise fail later with a 500.

    Deeply nested documents exhaust the recursion limit, and lone surrogates (``"\\ud800"``)
    are valid JSON but not valid Unicode: they cannot be stored, encrypted or echoed in an error.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) from None
        except UnicodeEncodeError:
            raise ParseError(_("JSON parse error - the text is not valid Unicode.")) from None
        return data
