"""Users, organisations and the account changes that wait for approval.

Every staff user belongs to exactly one organisation; the system administrator belongs to none.
Access to cases is granted to an organisation's Django group, so each organisation owns one group
that this module keeps in step with it. What the administrator asks for (a new account, a role,
a move, an email address) is an ``AccountChange`` until someone else approves it
(``accounts.approvals``).
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
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

    def clean(self):
        super().clean()
        if self.pk is None or not self.kind:
            return
        # A kind whose roles its members do not hold would leave them with a role it has not.
        allowed = ROLES_BY_KIND.get(self.kind, set())
        if self.members.exclude(role__in=allowed).exists():
            raise ValidationError(
                {"kind": _("Some members hold a role that organisations of this kind do not have.")}
            )

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
    def _create_user_object(self, username, email, password, **extra_fields):
        # Django's programmatic path (the operator's shell, Django's own commands) is the
        # operator's: approved at once. The admin site goes through accounts.approvals instead.
        extra_fields.setdefault("approved_at", timezone.now())
        return super()._create_user_object(username, email, password, **extra_fields)

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
    # Empty while the account waits for approval (accounts.approvals); such an account is
    # inactive, so no backend, session or token lets it in.
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    # Part of every session's authentication hash: raising it ends all the user's sessions at
    # once (logging out ends them everywhere, accounts.sessions).
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # The interface language the user chose with the switcher (empty: the browser's, until they
    # choose); pages after the login and the user's mail are in it (accounts.languages).
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES
    )

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
            models.CheckConstraint(
                name="user_waiting_for_approval_is_inactive",
                condition=Q(approved_at__isnull=False) | Q(is_active=False),
            ),
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

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def _get_session_auth_hash(self, secret=None):
        # Django's hash covers the password only (a password change ends other sessions);
        # ours also covers the session generation. Both Django entry points (the hash and its
        # SECRET_KEY_FALLBACKS variants) call this one.
        return salted_hmac(
            "nrm.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

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


class ChangeKind(models.TextChoices):
    CREATE = "create", _("New account")
    ROLE = "role", _("Role change")
    MOVE = "move", _("Move to another organisation")
    EMAIL = "email", _("Email address change")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AccountChange(models.Model):
    """A change to an account that the administrator asked for and someone else decides.

    ``requested_organisation`` and ``requested_role`` are what the account will hold once the
    change is approved (for a new account, a role change or an email change, its organisation
    as it is): the organisation whose supervisors decide. Nothing here applies until then.
    """

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ChangeKind.choices)
    requested_role = models.CharField(_("requested role"), max_length=30, choices=Role.choices)
    requested_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("requested organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_email = models.EmailField(_("requested email address"), blank=True)
    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ChangeState.choices, default=ChangeState.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")
        constraints = [
            # One change at a time: the next is asked for once this one is decided.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state="pending"),
                name="account_change_one_pending_per_account",
            ),
            models.CheckConstraint(
                name="account_change_decided_when_not_pending",
                condition=(
                    Q(state="pending") & Q(decided_by__isnull=True) & Q(decided_at__isnull=True)
                )
                | (~Q(state="pending") & Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
            ),
            # Four eyes: neither the one who asked nor the account's owner decides.
            models.CheckConstraint(
                name="account_change_decided_by_someone_else",
                condition=Q(decided_by__isnull=True)
                | (~Q(decided_by=F("requested_by")) & ~Q(decided_by=F("user"))),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.state == ChangeState.PENDING
