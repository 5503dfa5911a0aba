"""Notices to an organisation, shown in its inbox: a reference, an organisation's name and a
link, never case data (API.md). The text is written in the reader's language when shown, from
the notice's kind and parameters."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    SAME_PERSON = "same_person", _("Same person in two cases")
    BREAK_GLASS = "break_glass", _("Case opened under break-glass")


# The text of each kind; its parameters are references and organisation names only.
NOTICE_TEXTS = {
    NoticeKind.SAME_PERSON: _(
        "The national coordinator found that the person of case %(reference)s is the same "
        "person as in case %(other_reference)s of %(other_organisation)s. Contact that "
        "organisation before acting on either case."
    ),
    NoticeKind.BREAK_GLASS: _(
        "A supervisor of %(opener_organisation)s opened your case %(reference)s under break-glass, "
        "read-only, for one hour. The national coordinator reviews every such use and its "
        "reason."
    ),
}


class NoticeQuerySet(models.QuerySet):
    def for_organisation(self, user):
        if not getattr(user, "organisation_id", None):
            return self.none()
        return self.filter(organisation_id=user.organisation_id)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NoticeKind.choices)
    # The organisation's case the notice is about (its page is the link), if any.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self):
        return f"Notice {self.pk}"

    @property
    def message(self) -> str:
        return str(NOTICE_TEXTS[self.kind]) % self.params

    @property
    def unread(self) -> bool:
        return self.read_at is None
