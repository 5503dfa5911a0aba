"""Helpers shared by the API views: path parameters, id parsing, body checks."""

import re
import uuid

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter

from api.serializers import CaseDetailSerializer
from api.serializers.common import MAX_ID

CASE_ID = OpenApiParameter("id", str, OpenApiParameter.PATH, description=_("The case's UUID."))
REFERRAL_ID = OpenApiParameter(
    "id", str, OpenApiParameter.PATH, description=_("The referral's UUID.")
)


def parse_id(value: str) -> uuid.UUID:
    """A case or referral id from the URL. Parsed here, after authentication, so a malformed
    id is a 404 like any unknown one and an unauthenticated request is still a 401."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


SERIAL_ID = re.compile(r"[0-9]{1,19}")


def parse_serial_id(value: str) -> int:
    """A serial (integer) id from the URL, such as a service record's; like ``parse_id``, a
    malformed or impossible one is a 404."""
    if not SERIAL_ID.fullmatch(value) or not 1 <= int(value) <= MAX_ID:
        raise Http404
    return int(value)


def case_body(request, case) -> dict:
    """The case detail representation (needs ``can_view_identity`` on the case)."""
    return CaseDetailSerializer(case, context={"user": request.user}).data


def validated(serializer_class, request):
    """The request body checked by the serializer (400 when it is not a valid JSON object)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer
