"""The protected case record: the person (identity, encrypted) and the case (clear profile)."""

import uuid

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from guardian.managers import GroupObjectPermissionManager
from guardian.models import GroupObjectPermissionBase

from core.fields import BlindIndexField, EncryptedField


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class AgeGroup(models.TextChoices):
    """CTDC age bands; child/adult follows from them (and from the case's child flag)."""

    AGE_0_8 = "0-8", "0–8"
    AGE_9_17 = "9-17", "9–17"
    AGE_18_20 = "18-20", "18–20"
    AGE_21_23 = "21-23", "21–23"
    AGE_24_26 = "24-26", "24–26"
    AGE_27_29 = "27-29", "27–29"
    AGE_30_38 = "30-38", "30–38"
    AGE_39_47 = "39-47", "39–47"
    AGE_48_PLUS = "48+", "48+"
    UNKNOWN = "unknown", _("Unknown")


class Stage(models.TextChoices):
    IDENTIFICATION = "identification", _("Identification")
    ASSISTANCE = "assistance", _("Assistance")
    REINTEGRATION = "reintegration", _("Reintegration")
    CLOSED = "closed", _("Closed")


class TraffickingStatus(models.TextChoices):
    PRESUMED = "presumed", _("Presumed victim")
    CONFIRMED = "confirmed", _("Confirmed victim")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    RETURN_COMPLETED = "return_completed", _("Voluntary return completed")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    DECLINED_ASSISTANCE = "declined_assistance", _("Declined further assistance")
    TRANSFERRED_ABROAD = "transferred_abroad", _("Transferred abroad")
    DECEASED = "deceased", _("Deceased")


class Person(models.Model):
    """A presumed victim. Every identity field is encrypted; nothing here is shown in clear."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = EncryptedField(_("given name or alias"))
    family_name = EncryptedField(_("family name"))
    date_of_birth = EncryptedField(_("date of birth"))
    phone = EncryptedField(_("phone"))
    address = EncryptedField(_("address"))
    document_number = EncryptedField(_("document number"))
    # Blind indexes (HMAC) for duplicate detection; they reveal nothing without BLIND_INDEX_KEY.
    name_dob_index = BlindIndexField()
    document_index = BlindIndexField()
    # Blind indexes for finding a person (cases.search): each name alone, the date of birth.
    given_name_index = BlindIndexField()
    family_name_index = BlindIndexField()
    date_of_birth_index = BlindIndexField()
    created_at = models.DateTimeField(auto_now_add=True)

    history = AuditlogHistoryField(pk_indexable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        # Never a name: this string reaches audit entries and error reports.
        return f"Person {self.pk}"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cases the user's organisation may see: an EXISTS on the direct-FK permission table.

        Superuser status and global permissions are ignored on purpose; an inactive user or
        organisation sees nothing.
        """
        group_id = _active_group_id(user)
        if group_id is None:
            return self.none()
        return self.filter(Exists(_group_permission(group_id, "view_case")))

    def with_identity_flag(self, user):
        """Annotate ``can_view_identity`` for the user's organisation, in the same query."""
        group_id = _active_group_id(user)
        if group_id is None:
            return self.annotate(can_view_identity=models.Value(False))
        return self.annotate(can_view_identity=Exists(_group_permission(group_id, "view_identity")))


def _active_group_id(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    organisation = user.organisation if user.organisation_id else None
    if organisation is None or not organisation.active:
        return None
    return organisation.group_id


# The case permissions' ids by codename, read once per process: every visibility filter names
# one, and building the lookup as a subquery into each (a join of permissions and content
# types) cost about as much as the rest of the filter (``make bench``: 0.6 ms a queryset).
# migrate creates the rows and nothing changes them after it; a flush recreates them (tests)
# and then migrate's post_migrate signal clears these (``forget_permission_ids``).
CASE_PERMISSIONS = ("view_case", "view_identity")
_permission_ids: dict[str, int] = {}


def case_permission_ids() -> dict[str, int]:
    """The ids of the case's object permissions (``CASE_PERMISSIONS``) by codename, a copy;
    those migrate has not created yet are missing (and looked for again next time)."""
    if len(_permission_ids) < len(CASE_PERMISSIONS):
        _permission_ids.update(
            Permission.objects.filter(
                content_type__app_label="cases",
                content_type__model="case",
                codename__in=CASE_PERMISSIONS,
            ).values_list("codename", "pk")
        )
    return dict(_permission_ids)


def _permission_id(codename) -> int | None:
    # None before migrate has created the permission: no grant names it, and a filter on
    # None matches nothing.
    return case_permission_ids().get(codename)


def forget_permission_ids(**kwargs) -> None:
    """post_migrate's receiver: the permission rows may have been recreated."""
    _permission_ids.clear()


def _group_permission(group_id, codename):
    # The group and the permission are plain values, not joins: the planner then uses the
    # (case, group, permission) index instead of misjudging a join through organisations and
    # content types.
    return CaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"),
        group_id=group_id,
        permission_id=_permission_id(codename),
    )


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="case")
    stage = FSMField(
        _("stage"), default=Stage.IDENTIFICATION, choices=Stage.choices, protected=True
    )
    trafficking_status = FSMField(
        _("trafficking status"),
        default=TraffickingStatus.PRESUMED,
        choices=TraffickingStatus.choices,
        protected=True,
    )
    registering_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="registered_cases"
    )
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="led_cases"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The lead organisation's caseworker who follows the case (cases.assignment).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    # The clear profile: what statistics and lists need, shown to everyone who sees the case.
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    nationality = models.ForeignKey(
        "reference.Nationality",
        verbose_name=_("nationality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN
    )
    is_child = models.BooleanField(_("child"), default=False)
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT
    )
    exploitation_forms = models.ManyToManyField(
        "reference.ExploitationForm", verbose_name=_("exploitation forms"), related_name="cases"
    )
    languages = models.ManyToManyField(
        "reference.Language", verbose_name=_("languages spoken"), related_name="cases", blank=True
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    # The trafficking context (HTCDS 2.0), coded from reference vocabularies; clear, as above.
    means_of_control = models.ManyToManyField(
        "reference.MeansOfControl",
        verbose_name=_("means of control"),
        related_name="cases",
        blank=True,
    )
    recruitment_method = models.ForeignKey(
        "reference.RecruitmentMethod",
        verbose_name=_("method of recruitment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    trafficker_relationship = models.ForeignKey(
        "reference.TraffickerRelationship",
        verbose_name=_("relationship to the trafficker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    exploitation_country = models.ForeignKey(
        "reference.Nationality",
        verbose_name=_("country of exploitation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exploited_cases",
    )
    identified_on = models.DateField(_("identified on"))
    summary = EncryptedField(_("summary"))
    possible_duplicate = models.BooleanField(_("possible duplicate"), default=False)
    # Kept by the consent service from the latest consent of each scope (statistics read them).
    referral_consent = models.BooleanField(_("referral consent"), default=False)
    statistics_consent = models.BooleanField(_("statistics consent"), default=False)
    assistance_started_on = models.DateField(_("assistance started"), null=True, blank=True)
    reflection_period_ends_on = models.DateField(
        _("reflection and recovery period ends"), null=True, blank=True
    )
    first_referral_accepted_on = models.DateField(null=True, blank=True, editable=False)
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=ClosureReason.choices, blank=True
    )
    # The level of the latest risk assessment (plans.services), "" before the first.
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status_decided_on = models.DateField(_("status decided on"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AuditlogHistoryField(pk_indexable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-reference"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            ("view_identity", _("See the identity fields and summary of a case")),
        ]
        indexes = [
            models.Index(fields=["stage", "-created_at"]),
            models.Index(fields=["assigned_to", "-created_at"]),
            # Search by reference prefix (LIKE 'MA-2026-%') needs a pattern index.
            models.Index(
                fields=["reference"],
                name="case_reference_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            # The home page's cards (cases.attention): each card's count and first rows, in
            # its order, from the open cases of its condition alone.
            models.Index(
                fields=["risk_level", "-updated_at", "-reference"],
                name="case_open_by_risk",
                condition=~models.Q(stage="closed"),
            ),
            models.Index(
                fields=["lead_organisation", "reflection_period_ends_on", "reference"],
                name="case_open_led_by_reflection",
                condition=~models.Q(stage="closed"),
            ),
            models.Index(
                fields=["lead_organisation", "created_at", "reference"],
                name="case_open_led_no_consent",
                condition=models.Q(referral_consent=False) & ~models.Q(stage="closed"),
            ),
        ]

    def __str__(self):
        return self.reference

    # The NRM stage machine (DESIGN.md). Services call these under a row lock; never a view.
    @transition(field=stage, source=Stage.IDENTIFICATION, target=Stage.ASSISTANCE)
    def start_assistance(self):
        pass

    @transition(field=stage, source=Stage.ASSISTANCE, target=Stage.REINTEGRATION)
    def start_reintegration(self):
        pass

    @transition(
        field=stage,
        source=[Stage.IDENTIFICATION, Stage.ASSISTANCE, Stage.REINTEGRATION],
        target=Stage.CLOSED,
    )
    def close(self):
        pass

    @transition(field=stage, source=Stage.CLOSED, target=Stage.ASSISTANCE)
    def reopen(self):
        pass

    # The trafficking-status machine: decided by the status authority.
    @transition(
        field=trafficking_status,
        source=TraffickingStatus.PRESUMED,
        target=TraffickingStatus.CONFIRMED,
    )
    def confirm_status(self):
        pass

    @transition(
        field=trafficking_status,
        source=TraffickingStatus.PRESUMED,
        target=TraffickingStatus.NOT_CONFIRMED,
    )
    def reject_status(self):
        pass

    @transition(
        field=trafficking_status,
        source=TraffickingStatus.NOT_CONFIRMED,
        target=TraffickingStatus.PRESUMED,
    )
    def reconsider_status(self):
        pass


class CaseCorrection(models.Model):
    """A correction of a case's record: which fields changed (names, never values) and the
    protected reason; the audit entry references this row, never copies the reason."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="corrections")
    fields = models.JSONField(default=list)
    reason = EncryptedField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"Correction {self.pk}"


class CaseGrantManager(GroupObjectPermissionManager):
    def listed_for(self, user):
        """The user's organisation's ``view_case`` grants in the case list's order (newest
        case first): the same cases as ``Case.objects.visible_to(user)``, as one range of the
        listing index, whose count and page of ids never touch the case table."""
        group_id = _active_group_id(user)
        if group_id is None:
            return self.none()
        return self.filter(group_id=group_id, permission_id=_permission_id("view_case")).order_by(
            "-listed_at", "-listed_reference"
        )


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian's direct foreign key to the case (indexed UUID, no text cast).

    ``listed_at`` and ``listed_reference`` copy the case's ``created_at`` and ``reference``,
    the case list's order, which never change once the case is registered: an organisation's
    unfiltered list is then one range of ``cases_grant_listing`` (an index-only scan) instead
    of a join of its grants with the cases, sorted, that an OFFSET walks (``make bench``).
    """

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
    listed_at = models.DateTimeField(editable=False)
    listed_reference = models.CharField(max_length=32, editable=False)

    objects = CaseGrantManager()

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
        indexes = [
            models.Index(fields=["content_object", "group", "permission"]),
            models.Index(
                fields=["group", "permission", "-listed_at", "-listed_reference"],
                include=["content_object"],
                name="cases_grant_listing",
            ),
        ]

    def save(self, *args, **kwargs):
        self.copy_listing()
        super().save(*args, **kwargs)

    def copy_listing(self) -> None:
        """Copy the case's list order onto the grant (bulk creators call it, save does)."""
        if self.listed_at is None:
            self.listed_at = self.content_object.created_at
            self.listed_reference = self.content_object.reference


class ReferenceCounter(models.Model):
    """The last case number used in a year; locked with select_for_update, never count() + 1."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class ConsentScope(models.TextChoices):
    REFERRAL = "referral", _("Referral to other organisations")
    STATISTICS = "statistics", _("Anonymized statistics")


class ConsentGivenBy(models.TextChoices):
    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("Guardian / best-interest decision")


class Consent(models.Model):
    """One recorded consent or withdrawal; the latest of a scope is in force."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=20, choices=ConsentScope.choices)
    given = models.BooleanField(_("given"))
    given_by = models.CharField(
        _("given by"), max_length=20, choices=ConsentGivenBy.choices, default=ConsentGivenBy.PERSON
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["case", "scope", "-recorded_at"])]

    def __str__(self):
        return f"{self.scope} consent {self.pk}"


class CaseTransition(models.Model):
    """A transition of a case's stage or trafficking status, holding its protected reason
    (rule 5): the audit entry references this row, never copies the reason."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    transition = models.CharField(max_length=40)
    field = models.CharField(max_length=30)
    source = models.CharField(max_length=30)
    target = models.CharField(max_length=30)
    reason = EncryptedField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", null=True
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.transition} {self.pk}"


class NoteVisibility(models.TextChoices):
    SHARED = "shared", _("All organisations on the case")
    OWN = "own", _("My organisation only")


class NoteKind(models.TextChoices):
    GENERAL = "general", _("General")
    MEDICAL = "medical", _("Medical")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    LEGAL = "legal", _("Legal")
    SOCIAL = "social", _("Social")


# Medical and psychological notes stay within the author's organisation unless chosen otherwise.
PRIVATE_BY_DEFAULT = {NoteKind.MEDICAL, NoteKind.PSYCHOLOGICAL}


class NoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Notes of the organisations' shared notes plus the user's organisation's own notes."""
        if not getattr(user, "organisation_id", None):
            return self.none()
        return self.filter(
            models.Q(visibility=NoteVisibility.SHARED)
            | models.Q(organisation_id=user.organisation_id)
        )


class Note(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(
        _("kind"), max_length=20, choices=NoteKind.choices, default=NoteKind.GENERAL
    )
    visibility = models.CharField(_("visibility"), max_length=10, choices=NoteVisibility.choices)
    body = EncryptedField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = AuditlogHistoryField(pk_indexable=False)
    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Note {self.pk}"


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    # "cancelled" is the API's word (its contract); people read "Stopped": a service that ended
    # before it was completed, begun or not.
    CANCELLED = "cancelled", _("Stopped")


# A service that ended (completed or stopped) stays as it ended: nothing changes it again.
ENDED_SERVICE = frozenset({ServiceStatus.COMPLETED, ServiceStatus.CANCELLED})


class ServiceRecord(models.Model):
    """Assistance delivered to the person by an organisation: planned, ongoing, then completed
    or stopped. The status machine is below; ``cases.casework`` is its one entry point."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    service_type = models.ForeignKey(
        "reference.ServiceType", verbose_name=_("service"), on_delete=models.PROTECT
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = FSMField(
        _("status"),
        max_length=20,
        choices=ServiceStatus.choices,
        default=ServiceStatus.ONGOING,
        protected=True,
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Who completed or stopped it (None while it runs).
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return f"{self.service_type_id} {self.pk}"

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_SERVICE

    # The service's life (the issue: "planned, ongoing, completed or stopped"). Services call
    # these under a row lock; never a view.
    @transition(field=status, source=ServiceStatus.PLANNED, target=ServiceStatus.ONGOING)
    def start(self):
        pass

    @transition(
        field=status,
        source=[ServiceStatus.PLANNED, ServiceStatus.ONGOING],
        target=ServiceStatus.COMPLETED,
    )
    def complete(self):
        pass

    @transition(
        field=status,
        source=[ServiceStatus.PLANNED, ServiceStatus.ONGOING],
        target=ServiceStatus.CANCELLED,
    )
    def stop(self):
        pass


class ConsentOverride(models.Model):
    """A supervisor's decision to refer without recorded consent; its reason is protected."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consent_overrides")
    reason = EncryptedField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Consent override {self.pk}"
