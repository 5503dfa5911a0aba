"""Notices to an organisation (or to one of its members), shown on the notifications page,
in the inbox and the API: a reference, an organisation's name and a link, never case data
(API.md). The text is written in the reader's language when shown, from the notice's kind
and parameters; mail about a notice carries a link only (``notices.mail``)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    SAME_PERSON = "same_person", _("Same person in two cases")
    BREAK_GLASS = "break_glass", _("Case opened under break-glass")
    REFERRAL_RECEIVED = "referral_received", _("Referral received")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_CANCELLED = "referral_cancelled", _("Referral cancelled")
    REFERRAL_ENDED = "referral_ended", _("Referral ended")
    STATUS_DECIDED = "status_decided", _("Status decision")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    LEAD_TRANSFERRED = "lead_transferred", _("Lead transferred")
    CASE_ASSIGNED = "case_assigned", _("Case assigned to you")
    TASK_ASSIGNED = "task_assigned", _("Follow-up given to you")
    TASK_DUE = "task_due", _("Follow-ups due (daily reminder)")


# The kinds a user may receive by mail (notices.events posts them), in the order the settings
# page lists them; the two older kinds have mail of their own or none.
MAIL_KINDS = [
    NoticeKind.REFERRAL_RECEIVED,
    NoticeKind.REFERRAL_ACCEPTED,
    NoticeKind.REFERRAL_DECLINED,
    NoticeKind.REFERRAL_CANCELLED,
    NoticeKind.REFERRAL_ENDED,
    NoticeKind.STATUS_DECIDED,
    NoticeKind.CONSENT_WITHDRAWN,
    NoticeKind.LEAD_TRANSFERRED,
    NoticeKind.CASE_ASSIGNED,
    NoticeKind.TASK_ASSIGNED,
    NoticeKind.TASK_DUE,
]
# Mail is on by default for what someone must act on at once; the rest shows in the app only.
MAIL_ON_BY_DEFAULT = frozenset(
    {
        NoticeKind.REFERRAL_RECEIVED,
        NoticeKind.CASE_ASSIGNED,
        NoticeKind.TASK_ASSIGNED,
        NoticeKind.TASK_DUE,
    }
)
# Notices about follow-ups link to the task list when they name no case.
TASK_KINDS = frozenset({NoticeKind.TASK_ASSIGNED, NoticeKind.TASK_DUE})


# The text of each kind; its parameters are references and organisation names only, never a
# person's name, a summary or a reason given.
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
    NoticeKind.REFERRAL_RECEIVED: _(
        "%(from_organisation)s referred case %(reference)s to your organisation. Accept or "
        "decline it from your inbox."
    ),
    NoticeKind.REFERRAL_ACCEPTED: _(
        "%(to_organisation)s accepted your referral of case %(reference)s."
    ),
    NoticeKind.REFERRAL_DECLINED: _(
        "%(to_organisation)s declined your referral of case %(reference)s. The referral shows why."
    ),
    NoticeKind.REFERRAL_CANCELLED: _(
        "%(from_organisation)s withdrew its referral of case %(reference)s to %(to_organisation)s."
    ),
    NoticeKind.REFERRAL_ENDED: _(
        "%(from_organisation)s ended the referral of case %(reference)s to %(to_organisation)s."
    ),
    NoticeKind.STATUS_DECIDED: _(
        "%(decider_organisation)s took a status decision on case %(reference)s."
    ),
    NoticeKind.CONSENT_WITHDRAWN: _(
        "The referral consent for case %(reference)s was withdrawn. Your organisation's part "
        "in the case has ended and it no longer has access to it."
    ),
    NoticeKind.LEAD_TRANSFERRED: _(
        "The lead of case %(reference)s passed from %(old_lead)s to %(new_lead)s."
    ),
    NoticeKind.CASE_ASSIGNED: _("Case %(reference)s was assigned to you."),
    NoticeKind.TASK_ASSIGNED: _(
        "%(from_organisation)s gave you a follow-up on case %(reference)s. Your task list shows it."
    ),
    NoticeKind.TASK_DUE: _(
        "Follow-ups due today or overdue: %(count)d. Your task list shows them."
    ),
}

# The same kinds when the system, not a person, ended or cancelled the referral: whole
# sentences per cause, so each language words them its own way.
CAUSE_TEXTS = {
    (NoticeKind.REFERRAL_CANCELLED, "case_closed"): _(
        "The referral of case %(reference)s to %(to_organisation)s was cancelled because the "
        "case was closed."
    ),
    (NoticeKind.REFERRAL_CANCELLED, "consent_withdrawn"): _(
        "The referral of case %(reference)s to %(to_organisation)s was cancelled because the "
        "referral consent was withdrawn."
    ),
    (NoticeKind.REFERRAL_ENDED, "case_closed"): _(
        "The referral of case %(reference)s to %(to_organisation)s ended because the case was "
        "closed."
    ),
    (NoticeKind.REFERRAL_ENDED, "consent_withdrawn"): _(
        "The referral of case %(reference)s to %(to_organisation)s ended because the referral "
        "consent was withdrawn."
    ),
}


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        """The notices of the user's organisation that are for all its members, and the
        user's own."""
        if not getattr(user, "organisation_id", None):
            return self.none()
        return self.filter(
            Q(organisation_id=user.organisation_id) & (Q(user__isnull=True) | Q(user_id=user.pk))
        )

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="notices"
    )
    # A notice for one member only (an assignment); shown to nobody else of the organisation.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NoticeKind.choices)
    # The organisation's case the notice is about (its page is the link), if any; none when
    # the notice tells the organisation it no longer has access.
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
        text = CAUSE_TEXTS.get((self.kind, self.params.get("cause"))) or NOTICE_TEXTS[self.kind]
        return str(text) % self.params

    @property
    def links_tasks(self) -> bool:
        return self.kind in TASK_KINDS

    @property
    def unread(self) -> bool:
        return self.read_at is None


class MailPreference(models.Model):
    """A user's choice of mail for one kind of notice; without a row, ``MAIL_ON_BY_DEFAULT``
    decides."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NoticeKind.choices)
    enabled = models.BooleanField(_("send mail"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="mail_preference_once")
        ]

    def __str__(self):
        return f"MailPreference {self.pk}"
