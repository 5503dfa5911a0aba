"""drf-spectacular extensions and the schemas of the error bodies (see ``api.exceptions``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import serializers


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                'A key from "manage.py issue_api_token", sent as "Authorization: Token <key>".'
            ),
        }


class DetailErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    errors = serializers.DictField(
        help_text=_(
            'Field name → list of messages; "person" holds its own field errors; '
            '"non_field_errors" when the body is not a JSON object.'
        )
    )


class ConflictErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["invalid_transition", "consent_required"])
    detail = serializers.CharField()


UNAUTHENTICATED = {401: DetailErrorSerializer}
FORBIDDEN = {403: DetailErrorSerializer}
NOT_FOUND = {404: DetailErrorSerializer}
BAD_REQUEST = {400: ValidationErrorSerializer}
CONFLICT = {409: ConflictErrorSerializer}
TOO_MANY_REQUESTS = {429: DetailErrorSerializer}
