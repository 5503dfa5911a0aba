"""Passkeys (WebAuthn) as a phishing-resistant second factor beside the authenticator app.

django-otp-webauthn's credential is a django-otp device, so a passkey that signs the login's
challenge verifies the session exactly as a TOTP code does: the view calls django-otp's login
and ``accounts.sessions.note_second_factor`` for both, and the middleware, the step-up and the
session limits see no difference. Passwordless login is off: every ceremony is for the user of
the session, who has passed the password step; registering one needs a verified session.

A ceremony's state (its challenge) waits in the session and is taken out before the answer is
checked, so one challenge never serves twice. Audit entries carry the passkey's id, never the
name its owner gave it.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers.exceptions import WebAuthnException

from accounts.primitives import record_account_event
from audit.events import Event

REGISTRATION_STATE = "nrm_passkey_registration"
AUTHENTICATION_STATE = "nrm_passkey_authentication"

REFUSED = _("This passkey could not be checked. Try again, or use a code from your app.")
NO_CEREMONY = _("The passkey request has expired. Try again.")
NO_PASSKEY = _("You have no passkey yet.")
# What a malformed, forged or replayed answer raises in django-otp-webauthn and py_webauthn
# (and a credential registered twice, at the unique index).
CEREMONY_ERRORS = (
    WebAuthnException,
    OTPWebAuthnApiError,
    IntegrityError,
    KeyError,
    TypeError,
    ValueError,
)


class PasskeyRefused(Exception):
    """A ceremony that failed: the words to show, and the HTTP status of the JSON answer."""

    def __init__(self, message, *, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.status = status


def _helper():
    # The helper reads the relying party from settings (OTP_WEBAUTHN_*): no request needed.
    return WebAuthnCredential.get_webauthn_helper(request=None)


def _take_state(session, key: str) -> dict:
    state = session.pop(key, None)
    # Saved at once, so that even a failed check cannot be retried with the same challenge.
    session.save()
    if not state:
        raise PasskeyRefused(NO_CEREMONY)
    return state


def registration_options(*, user, session, name: str) -> dict:
    """The browser's options to create a passkey for ``user`` (its existing ones excluded);
    the challenge waits in ``session`` with the passkey's ``name`` (checked by the form
    before the authenticator makes anything)."""
    options, state = _helper().register_begin(user=user)
    session[REGISTRATION_STATE] = {**state, "name": name}
    return options


def register_passkey(*, user, session, credential: dict) -> WebAuthnCredential:
    """Check the browser's new credential against the waiting challenge and keep it under
    the name given when the ceremony began.

    Side effects, in one transaction: the passkey (a confirmed django-otp device) and its
    attestation stored; one "passkey_registered" audit entry with the passkey's id.
    Raises ``PasskeyRefused`` (nothing stored) when the challenge is missing or the
    credential does not verify.
    """
    state = _take_state(session, REGISTRATION_STATE)
    with transaction.atomic():
        try:
            device = _helper().register_complete(user=user, state=state, data=credential)
        except CEREMONY_ERRORS as error:
            raise PasskeyRefused(REFUSED, status=422) from error
        device.name = state["name"]
        device.save(update_fields=["name"])
        record_account_event(user, actor=user, event=Event.PASSKEY_REGISTERED, passkey=device.pk)
    return device


def authentication_options(*, user, session) -> dict:
    """The browser's options to sign the second step with one of ``user``'s passkeys."""
    if not WebAuthnCredential.objects.filter(user=user, confirmed=True).exists():
        raise PasskeyRefused(NO_PASSKEY, status=404)
    options, state = _helper().authenticate_begin(user=user, require_user_verification=False)
    session[AUTHENTICATION_STATE] = state
    return options


def verify_passkey(*, user, session, credential: dict) -> WebAuthnCredential:
    """The passkey of ``user`` that signed the waiting challenge; the caller then marks the
    session verified, as for a TOTP code.

    Side effects: the passkey's signature counter and last use updated; on failure a
    "second_factor_failed" audit entry (``factor: passkey``) and ``PasskeyRefused``. A passkey
    of another user, an unconfirmed one or an inactive user is refused.
    """
    state = _take_state(session, AUTHENTICATION_STATE)
    try:
        with transaction.atomic():
            try:
                device = _helper().authenticate_complete(user=user, state=state, data=credential)
            except CEREMONY_ERRORS as error:
                raise PasskeyRefused(REFUSED, status=403) from error
            if not (device.confirmed and device.user.is_active):
                raise PasskeyRefused(REFUSED, status=403)
    except PasskeyRefused:
        record_account_event(user, actor=user, event=Event.SECOND_FACTOR_FAILED, factor="passkey")
        raise
    return device


def remove_passkey(*, user, passkey_id: int) -> bool:
    """Remove one of ``user``'s own passkeys; False when it has none with that id.

    Side effects, in one transaction: the passkey (and its attestation) deleted; one
    "passkey_removed" audit entry with its id. A session verified by that passkey is asked
    for the second factor again (django-otp finds its device no more).
    """
    with transaction.atomic():
        device = (
            WebAuthnCredential.objects.select_for_update().filter(user=user, pk=passkey_id).first()
        )
        if device is None:
            return False
        device.delete()
        record_account_event(user, actor=user, event=Event.PASSKEY_REMOVED, passkey=passkey_id)
    return True
