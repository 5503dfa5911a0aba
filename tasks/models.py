"""Tasks and follow-ups on a case: for an organisation (and, optionally, one of its members),
with a due date; made by hand or by the system (the referral's answer, the reflection period's
end, the assistance plan's review); open, then done or dropped.

The title is free text, so protected; a system task has none and is named by its kind (in the
reader's language). A system task is made once per source: one per referral for its answer,
one per case for the reflection period's end, one open plan review per case.
"""

import datetime
import uuid

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.fields import EncryptedField


class TaskKind(models.TextChoices):
    MANUAL = "manual", _("Follow-up")
    REFERRAL_RESPONSE = "referral_response", _("Answer the referral")
    REFLECTION_PERIOD_END = "reflection_period_end", _("Reflection period ends")
    PLAN_REVIEW = "plan_review", _("Review the assistance plan")


SYSTEM_KINDS = frozenset(
    {TaskKind.REFERRAL_RESPONSE, TaskKind.REFLECTION_PERIOD_END, TaskKind.PLAN_REVIEW}
)


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=TaskState.OPEN)

    def overdue(self, *, now: datetime.datetime | None = None):
        return self.filter(overdue_q(now=now))


def overdue_q(*, now: datetime.datetime | None = None) -> Q:
    """An open task whose due time has come: ``due_at`` passed when it has one (a referral's
    answer, in hours), else a ``due_on`` before today (due today is not yet overdue)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return Q(state=TaskState.OPEN) & (
        Q(due_at__isnull=False, due_at__lte=now) | Q(due_at__isnull=True, due_on__lt=today)
    )


class Task(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(
        _("kind"), max_length=30, choices=TaskKind.choices, default=TaskKind.MANUAL
    )
    # Empty for a system task (its kind names it); protected: free text may name the person.
    title = EncryptedField(_("what to do"))
    due_on = models.DateField(_("due on"))
    # The hour it is due, for what is counted in hours (a referral's answer); else None.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = FSMField(
        _("state"),
        max_length=10,
        choices=TaskState.choices,
        default=TaskState.OPEN,
        protected=True,
    )
    # None for a task the system made.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The source of a referral's answer task.
    referral = models.ForeignKey(
        "referral.Referral", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AuditlogHistoryField(pk_indexable=False)
    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "due_at", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(kind="referral_response"),
                name="task_one_answer_per_referral",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(kind="reflection_period_end"),
                name="task_one_reflection_end_per_case",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(kind="plan_review", state="open"),
                name="task_one_open_plan_review_per_case",
            ),
            models.CheckConstraint(
                name="task_answer_has_its_referral",
                condition=~Q(kind="referral_response") | Q(referral__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "state", "due_on"]),
            models.Index(fields=["assignee", "state", "due_on"]),
            models.Index(fields=["case", "state"]),
        ]

    def __str__(self):
        # Never the title: this string reaches audit entries.
        return f"Task {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state == TaskState.OPEN

    @property
    def is_system(self) -> bool:
        return self.kind in SYSTEM_KINDS

    def is_overdue(self, *, now: datetime.datetime | None = None) -> bool:
        if not self.is_open:
            return False
        now = now or timezone.now()
        if self.due_at is not None:
            return self.due_at <= now
        return self.due_on < timezone.localdate(now)

    # The task's life; services call these under a row lock, never a view.
    @transition(field=state, source=TaskState.OPEN, target=TaskState.DONE)
    def complete(self):
        pass

    @transition(field=state, source=TaskState.OPEN, target=TaskState.DROPPED)
    def drop(self):
        pass

    @property
    def display_title(self) -> str:
        """The title given, or for a system task the words of its kind (never stored, so in
        the reader's language). The reflection period's end reads the case's date: callers
        select the case with the task."""
        if self.title:
            return self.title
        if self.kind == TaskKind.REFLECTION_PERIOD_END:
            ends_on = self.case.reflection_period_ends_on
            if ends_on is not None:
                return str(SYSTEM_TITLES[self.kind]) % {
                    "day": formats.date_format(ends_on, "SHORT_DATE_FORMAT")
                }
        return str(SYSTEM_TITLES.get(self.kind, self.get_kind_display()))


SYSTEM_TITLES = {
    TaskKind.REFERRAL_RESPONSE: _("Answer the referral: accept or decline it"),
    TaskKind.REFLECTION_PERIOD_END: _(
        "The reflection period ends on %(day)s: decide with the person what comes next"
    ),
    TaskKind.PLAN_REVIEW: _("Review the assistance plan"),
}
