"""Every account and organisation change leaves its one audit entry: the event, the actor, the
organisations it concerns, ids and codes, and never a password hash or an email address."""

from dataclasses import dataclass, field

import pytest
from auditlog.registry import auditlog
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import serializers

from accounts import approvals, lockout, passkeys, passwords, second_factor, services
from accounts.models import Organisation, User
from accounts.primitives import CONCERNS
from accounts.roles import OrganisationKind, Role
from audit.events import Event
from audit.models import AuditEntry
from tests import personas
from tests.accounts.otp import code_for
from tests.accounts.support import ask_for_account, fresh
from tests.accounts.webauthn import SoftPasskey
from tests.scenarios import org


@dataclass(frozen=True)
class Step:
    """``setup`` brings the world to the moment before; ``act`` makes the one change and
    returns the object the entry is on."""

    act: object
    event: Event
    actor: str | None  # a persona, "owner" for the account itself, None for nobody
    concerns: list[str]
    setup: object = None
    data: dict = field(default_factory=dict)


def pending_role(c):
    return approvals.request_role_change(c.ngo_a, actor=c.admin, role=Role.SUPERVISOR)


def pending_move(c):
    return approvals.request_move(
        c.ngo_b, actor=c.admin, organisation=c.ngo_a.organisation, role=Role.CASEWORKER
    )


def pending_email(c):
    return approvals.request_email_change(c.ngo_a, actor=c.admin, email="new@nrm.test")


def pending_account(c):
    return ask_for_account(c.admin, c.ngo_a.organisation)


def decided(decide):
    return lambda c, change: decide(change, actor=c.ngo_a_supervisor).user


def with_email(c):
    User.objects.filter(pk=c.ngo_a.pk).update(email="ngo_a@nrm.test")


def deactivated(c):
    services.deactivate_user(c.ngo_a, actor=c.admin)


ROLE_DATA = {"from_role": "caseworker", "to_role": "supervisor", "kind": "role"}
MOVE_DATA = {"to_organisation": "NGO A", "from_organisation": "NGO B", "kind": "move"}
STEPS = {
    "account asked for": Step(
        lambda c, _: pending_account(c).user,
        Event.ACCOUNT_CREATED,
        "admin",
        ["NGO A"],
        data={"role": "caseworker", "kind": "create"},
    ),
    "account approved": Step(
        decided(approvals.approve_change),
        Event.ACCOUNT_APPROVED,
        "ngo_a_supervisor",
        ["NGO A"],
        setup=pending_account,
    ),
    "account rejected": Step(
        decided(approvals.reject_change),
        Event.ACCOUNT_REJECTED,
        "ngo_a_supervisor",
        ["NGO A"],
        setup=pending_account,
    ),
    "role asked for": Step(
        lambda c, _: pending_role(c).user,
        Event.ROLE_CHANGE_REQUESTED,
        "admin",
        ["NGO A"],
        data=ROLE_DATA,
    ),
    "role changed": Step(
        decided(approvals.approve_change),
        Event.ROLE_CHANGED,
        "ngo_a_supervisor",
        ["NGO A"],
        setup=pending_role,
        data=ROLE_DATA,
    ),
    "role rejected": Step(
        decided(approvals.reject_change),
        Event.ROLE_CHANGE_REJECTED,
        "ngo_a_supervisor",
        ["NGO A"],
        setup=pending_role,
    ),
    "move asked for": Step(
        lambda c, _: pending_move(c).user,
        Event.MOVE_REQUESTED,
        "admin",
        ["NGO A", "NGO B"],
        data=MOVE_DATA,
    ),
    "moved": Step(
        decided(approvals.approve_change),
        Event.MOVED,
        "ngo_a_supervisor",
        ["NGO A", "NGO B"],
        setup=pending_move,
        data=MOVE_DATA,
    ),
    "move rejected": Step(
        decided(approvals.reject_change),
        Event.MOVE_REJECTED,
        "ngo_a_supervisor",
        ["NGO A", "NGO B"],
        setup=pending_move,
    ),
    "email asked for": Step(
        lambda c, _: pending_email(c).user, Event.EMAIL_CHANGE_REQUESTED, "admin", ["NGO A"]
    ),
    "email changed": Step(
        decided(approvals.approve_change),
        Event.EMAIL_CHANGED,
        "ngo_a_supervisor",
        ["NGO A"],
        setup=pending_email,
    ),
    "email rejected": Step(
        decided(approvals.reject_change),
        Event.EMAIL_CHANGE_REJECTED,
        "ngo_a_supervisor",
        ["NGO A"],
        setup=pending_email,
    ),
    "name corrected": Step(
        lambda c, _: services.change_account_details(
            c.ngo_a, actor=c.admin, first_name="Nadia", last_name=""
        ),
        Event.ACCOUNT_DETAILS_CHANGED,
        "admin",
        ["NGO A"],
        data={"fields": ["first_name"]},
    ),
    "deactivated": Step(
        lambda c, _: services.deactivate_user(c.ngo_a, actor=c.admin) and c.ngo_a,
        Event.ACCOUNT_DEACTIVATED,
        "admin",
        ["NGO A"],
    ),
    "activated": Step(
        lambda c, _: services.activate_user(c.ngo_a, actor=c.admin) and c.ngo_a,
        Event.ACCOUNT_ACTIVATED,
        "admin",
        ["NGO A"],
        setup=deactivated,
    ),
    "reset link by the administrator": Step(
        lambda c, _: passwords.send_password_reset(c.ngo_a, actor=c.admin),
        Event.PASSWORD_RESET_REQUESTED,
        "admin",
        ["NGO A"],
        setup=with_email,
        data={"via": "administrator"},
    ),
    "reset link for a forgotten password": Step(
        lambda c, _: passwords.send_forgotten_password_links(email="NGO_A@nrm.test") or c.ngo_a,
        Event.PASSWORD_RESET_REQUESTED,
        None,
        ["NGO A"],
        setup=with_email,
        data={"via": "forgotten"},
    ),
    "password set by its owner": Step(
        lambda c, _: passwords.set_own_password(
            c.ngo_a, password=personas.NEW_PASSWORD, via=passwords.Via.CHANGE
        ),
        Event.PASSWORD_CHANGED,
        "owner",
        ["NGO A"],
        data={"via": "change"},
    ),
    "organisation created": Step(
        lambda c, _: services.create_organisation(
            actor=c.admin, name="NGO C", kind=OrganisationKind.NGO
        ),
        Event.ORGANISATION_CREATED,
        "admin",
        ["NGO C"],
        data={"kind": "ngo"},
    ),
    "organisation changed": Step(
        lambda c, _: services.change_organisation(
            c.ngo_b.organisation, actor=c.admin, name="NGO B2", active=False
        ),
        Event.ORGANISATION_CHANGED,
        "admin",
        ["NGO B2"],
        data={"fields": ["name", "active"]},
    ),
}


def locked_out(c):
    AccessAttempt.objects.create(
        username="ngo_a", ip_address="10.0.0.1", failures_since_start=5, get_data="", post_data=""
    )


def enrolled(c, _):
    device = second_factor.pending_totp_device(c.ngo_a)
    second_factor.confirm_totp(user=c.ngo_a, token=code_for(device))
    return c.ngo_a


def passkey_ceremony(c):
    """A registration begun: the session holding its challenge, the authenticator's answer."""
    session = SessionStore()
    options = passkeys.registration_options(user=c.ngo_a, session=session, name="laptop")
    key = SoftPasskey(
        rp_id=settings.OTP_WEBAUTHN_RP_ID, origin=settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]
    )
    return session, key.create(options)


def registered_passkey(c):
    session, answer = passkey_ceremony(c)
    return passkeys.register_passkey(user=c.ngo_a, session=session, credential=answer).pk


STEPS.update(
    {
        "passkey registered": Step(
            lambda c, ceremony: (
                passkeys.register_passkey(
                    user=c.ngo_a, session=ceremony[0], credential=ceremony[1]
                ).user
            ),
            Event.PASSKEY_REGISTERED,
            "owner",
            ["NGO A"],
            setup=passkey_ceremony,
        ),
        "passkey removed": Step(
            lambda c, pk: passkeys.remove_passkey(user=c.ngo_a, passkey_id=pk) and c.ngo_a,
            Event.PASSKEY_REMOVED,
            "owner",
            ["NGO A"],
            setup=registered_passkey,
        ),
        "second factor enrolled": Step(enrolled, Event.SECOND_FACTOR_ENROLLED, "owner", ["NGO A"]),
        "backup codes issued": Step(
            lambda c, _: second_factor.issue_backup_codes(user=c.ngo_a) and c.ngo_a,
            Event.BACKUP_CODES_ISSUED,
            "owner",
            ["NGO A"],
        ),
        "lockout lifted": Step(
            lambda c, _: (
                lockout.unlock(AccessAttempt.objects.get(username="ngo_a"), actor=c.admin)
                or c.ngo_a
            ),
            Event.LOCKOUT_LIFTED,
            "admin",
            ["NGO A"],
            setup=locked_out,
        ),
        "second factor failed": Step(
            lambda c, _: (
                second_factor.verify_second_factor(user=c.ngo_a, token="000000") or c.ngo_a
            ),
            Event.SECOND_FACTOR_FAILED,
            "owner",
            ["NGO A"],
            setup=lambda c: second_factor.issue_backup_codes(user=c.ngo_a),
        ),
    }
)


def expected_data(data: dict) -> dict:
    """The table's organisation names as the ids the entries hold."""
    ids = dict(Organisation.objects.values_list("name", "pk"))
    return {k: ids[v] if k.endswith("_organisation") else v for k, v in data.items()}


def last_pk() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize("name", STEPS)
def test_each_change_leaves_its_one_entry(cast, name):
    step = STEPS[name]
    context = step.setup(cast) if step.setup else None
    before = last_pk()
    subject = step.act(cast, context)
    [entry] = AuditEntry.objects.filter(pk__gt=before)
    actors = {None: None, "owner": subject.pk}
    actor = actors[step.actor] if step.actor in actors else cast[step.actor].pk
    concerned = Organisation.objects.filter(name__in=step.concerns).order_by("pk")
    assert (entry.object_pk, entry.object_repr, entry.actor_id) == (
        str(subject.pk),
        str(subject),
        actor,
    )
    assert entry.additional_data["event"] == step.event
    assert entry.additional_data[CONCERNS] == [o.pk for o in concerned]
    data = {key: entry.additional_data.get(key) for key in step.data}
    assert data == expected_data(step.data)


def test_the_table_covers_every_account_event():
    events = list(Event)
    account_events = set(events[events.index(Event.ACCOUNT_CREATED) :])
    assert {step.event for step in STEPS.values()} == account_events


def test_auditlog_never_copies_an_account_row():
    # A registered User would put its password hash into every entry's changes.
    assert (auditlog.contains(User), auditlog.contains(Organisation)) == (False, False)


def test_no_entry_holds_a_password_hash_or_an_email_address(cast, admin_2):
    with_email(cast)
    change = ask_for_account(cast.admin, org("NGO A"), email="hidden-address@nrm.test")
    approvals.approve_change(change, actor=cast.ngo_a_supervisor)
    passwords.set_own_password(fresh(change.user), password=personas.NEW_PASSWORD, via="activation")
    approvals.approve_change(
        approvals.request_email_change(cast.ngo_a, actor=cast.admin, email="second@nrm.test"),
        actor=cast.ngo_a_supervisor,
    )
    serialized = serializers.serialize("json", AuditEntry.objects.all())
    hashes = [u.password for u in User.objects.all() if u.has_usable_password()]
    assert [h for h in hashes if h in serialized] == []
    assert [a for a in ("hidden-address", "second@", "ngo_a@") if a in serialized] == []
