"""The demo cast: organisations and one user per role (README "Demo logins").

``seed_demo`` creates it; the tests' personas (tests/personas.py) are the same cast.
"""

from dataclasses import dataclass

from django.db import transaction

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.services import create_organisation, create_user
from reference.models import Region


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    region: str | None


# A reserved top-level domain (RFC 2606): demo mail can never reach a real mailbox.
EMAIL_DOMAIN = "demo.nrm.invalid"


@dataclass(frozen=True)
class DemoUser:
    username: str
    organisation: str | None
    role: str

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


POLICE = DemoOrganisation("Police — Casablanca", OrganisationKind.POLICE, "MA-06")
HEALTH = DemoOrganisation("Health unit — Casablanca", OrganisationKind.HEALTH, "MA-06")
NGO_A = DemoOrganisation("NGO A", OrganisationKind.NGO, "MA-06")
NGO_B = DemoOrganisation("NGO B", OrganisationKind.NGO, "MA-04")
AUTHORITY = DemoOrganisation("Prosecutor's office", OrganisationKind.AUTHORITY, "MA-04")
COMMISSION = DemoOrganisation("National Commission", OrganisationKind.COMMISSION, None)

ORGANISATIONS = [POLICE, HEALTH, NGO_A, NGO_B, AUTHORITY, COMMISSION]

USERS = [
    DemoUser("police", POLICE.name, Role.POLICE_OFFICER),
    DemoUser("health", HEALTH.name, Role.HEALTH_WORKER),
    DemoUser("ngo_a", NGO_A.name, Role.CASEWORKER),
    DemoUser("ngo_a_supervisor", NGO_A.name, Role.SUPERVISOR),
    DemoUser("ngo_b", NGO_B.name, Role.CASEWORKER),
    DemoUser("authority", AUTHORITY.name, Role.STATUS_AUTHORITY),
    DemoUser("commission", COMMISSION.name, Role.COMMISSION_MEMBER),
    DemoUser("coordinator", COMMISSION.name, Role.COORDINATOR),
    DemoUser("admin", None, Role.ADMINISTRATOR),
]


def ensure_demo_cast(*, password: str, reset_passwords: bool = False):
    """Create the demo organisations and users that are missing; return (organisations, counts).

    Existing users keep their password unless ``reset_passwords`` is set; those without a mail
    address get their demo one (notification mail then shows on the console).
    """
    created = updated = 0
    with transaction.atomic():
        organisations = {}
        for spec in ORGANISATIONS:
            organisation = Organisation.objects.filter(name=spec.name).first()
            if organisation is None:
                region = Region.objects.get(code=spec.region) if spec.region else None
                organisation = create_organisation(name=spec.name, kind=spec.kind, region=region)
            organisations[spec.name] = organisation
        existing = {
            u.username: u for u in User.objects.filter(username__in=[s.username for s in USERS])
        }
        for spec in USERS:
            user = existing.get(spec.username)
            if user is None:
                create_user(
                    username=spec.username,
                    role=spec.role,
                    organisation=organisations.get(spec.organisation),
                    password=password,
                    email=spec.email,
                )
                created += 1
                continue
            fields = []
            if not user.email:
                user.email = spec.email
                fields.append("email")
            if reset_passwords:
                user.set_password(password)
                fields.append("password")
                updated += 1
            if fields:
                user.save(update_fields=fields)
    return organisations, {"created": created, "updated": updated}
