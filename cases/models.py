"""The protected case record: the person (identity, encrypted) and the case (clear profile)."""

import uuid

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField
from guardian.models import GroupObjectPermissionBase

from cases.fields import EncryptedField


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
    name_dob_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    document_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
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
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if not user.organisation_id:
            return self.none()
        return self.filter(Exists(_group_permission(user, "view_case")))

    def with_identity_flag(self, user):
        """Annotate ``can_view_identity`` for the user's organisation, in the same query."""
        if not getattr(user, "organisation_id", None):
            return self.annotate(can_view_identity=models.Value(False))
        return self.annotate(can_view_identity=Exists(_group_permission(user, "view_identity")))


def _group_permission(user, codename):
    return CaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"),
        group__organisation__id=user.organisation_id,
        group__organisation__active=True,
        permission__codename=codename,
        permission__content_type__app_label="cases",
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
    identified_on = models.DateField(_("identified on"))
    summary = EncryptedField(_("summary"))
    possible_duplicate = models.BooleanField(_("possible duplicate"), default=False)
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
            ("close_case", _("Close a case (supervisor)")),
            ("override_consent", _("Refer without recorded consent, with a reason (supervisor)")),
            ("decide_status", _("Decide the trafficking status (status authority)")),
        ]
        indexes = [models.Index(fields=["stage", "-created_at"])]

    def __str__(self):
        return self.reference


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian's direct foreign key to the case (indexed UUID, no text cast)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
        indexes = [models.Index(fields=["content_object", "group", "permission"])]


class ReferenceCounter(models.Model):
    """The last case number used in a year; locked with select_for_update, never count() + 1."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"
