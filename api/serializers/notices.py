"""Shape of a notice: its text, a reference and a link, never case data beyond them."""

from django.urls import reverse
from rest_framework import serializers

from notices.models import MAIL_KINDS, NoticeKind


class NoticeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    message = serializers.CharField()
    case = serializers.UUIDField(source="case_id", allow_null=True)
    reference = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()
    unread = serializers.BooleanField()
    created_at = serializers.DateTimeField()

    def get_reference(self, notice) -> str | None:
        return notice.params.get("reference")

    def get_link(self, notice) -> str | None:
        return reverse("api:case", args=[notice.case_id]) if notice.case_id else None


class MailPreferenceSerializer(serializers.Serializer):
    """The kinds of notice the caller gets by mail; every other kind is off."""

    mail = serializers.ListField(
        child=serializers.ChoiceField(choices=[(kind.value, kind.label) for kind in MAIL_KINDS]),
        allow_empty=True,
    )
