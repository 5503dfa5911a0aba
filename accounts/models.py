"""Users and organisations.

Every staff user belongs to exactly one organisation; the system administrator belongs to none.
Access to cases is granted to an organisation's Django group, so each organisation owns one group
that this module keeps in step with it.
"""

import uuid

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import FRONTLINE_KINDS, ROLES_BY_KIND, OrganisationKind, Role


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leave empty for a national body."),
    )
    active = models.BooleanField(_("active"), default=True)
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, editable=False, related_name="organisation"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def is_frontline(self) -> bool:
        return self.kind in FRONTLINE_KINDS

    def save(self, *args, **kwargs):
        # The group is how object permissions reach the organisation's members; it must exist
        # from the organisation's first save, whichever path (admin, seed, service) creates it.
        with transaction.atomic():
            if self.group_id is None:
                self.group = Group.objects.create(name=f"organisation:new:{uuid.uuid4().hex}")
                super().save(*args, **kwargs)
                self.group.name = f"organisation:{self.pk}"
                self.group.save(update_fields=["name"])
            else:
                super().save(*args, **kwargs)


class NRMUserManager(UserManager):
    def create_superuser(self, *args, **kwargs):
        raise NotImplementedError(
            "NRM has no superusers. Create the system administrator with seed_demo "
            "or the admin site."
        )


class User(AbstractUser):
    """A person who logs in. Deactivated, never deleted: audit entries point at users."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    objects = NRMUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # The administrator is the only user without an organisation.
            models.CheckConstraint(
                name="user_organisation_matches_role",
                condition=(Q(role=Role.ADMINISTRATOR) & Q(organisation__isnull=True))
                | (~Q(role=Role.ADMINISTRATOR) & Q(organisation__isnull=False)),
            ),
            models.CheckConstraint(name="user_never_superuser", condition=Q(is_superuser=False)),
        ]

    def clean(self):
        super().clean()
        if self.role == Role.ADMINISTRATOR:
            if self.organisation_id:
                raise ValidationError(
                    {"organisation": _("The system administrator belongs to no organisation.")}
                )
            return
        if not self.organisation_id:
            raise ValidationError({"organisation": _("Choose the user's organisation.")})
        allowed = ROLES_BY_KIND.get(self.organisation.kind, set())
        if self.role not in allowed:
            raise ValidationError(
                {"role": _("This role does not exist in an organisation of this kind.")}
            )

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    def save(self, *args, **kwargs):
        # Only the administrator reaches the admin site; nobody is a superuser.
        self.is_staff = self.role == Role.ADMINISTRATOR
        self.is_superuser = False
        super().save(*args, **kwargs)
        self._sync_groups()

    def _sync_groups(self):
        wanted = [self.organisation.group_id] if self.organisation_id else []
        current = list(self.groups.values_list("id", flat=True))
        if current != wanted:
            self.groups.set(wanted)

    def delete(self, *args, **kwargs):
        raise PermissionError("Users are deactivated, never deleted (audit entries refer to them).")
