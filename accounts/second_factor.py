"""The second factor of every staff login (django-otp): a TOTP device, ten backup codes.

A session that has passed only the password step reaches no case data
(``accounts.middleware.SecondFactorRequired``). TOTP codes are accepted once (django-otp keeps
the last time step used), backup codes once each, and each device throttles failed attempts.
"""

import base64
import io
import secrets

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.primitives import record_account_event
from audit.events import Event

BACKUP_CODES = 10
TOTP_NAME = "authenticator"
BACKUP_NAME = "backup codes"


def has_second_factor(user) -> bool:
    return any(devices_for_user(user, confirmed=True))


def pending_totp_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, made on first call: its secret is shown until
    a code from it confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The base32 secret, as authenticator apps take it by hand."""
    return base64.b32encode(device.bin_key).decode()


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code, made here (no outside service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def confirm_totp(*, user, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator with a code from it; None when the code is wrong.

    Side effects, in one transaction: the device confirmed (and any older authenticator of
    the user deleted); ten new backup codes; one "second_factor_enrolled" audit entry.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or not device.verify_token(token):
            return None
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_backup_codes(user)
        record_account_event(user, actor=user, event=Event.SECOND_FACTOR_ENROLLED)
    return device, codes


def issue_backup_codes(*, user) -> list[str]:
    """Ten new single-use backup codes, replacing any earlier ones; returned once, stored only
    as django-otp's static tokens. Side effect: a "backup_codes_issued" audit entry."""
    with transaction.atomic():
        codes = _replace_backup_codes(user)
        record_account_event(user, actor=user, event=Event.BACKUP_CODES_ISSUED)
    return codes


def _replace_backup_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def verify_second_factor(*, user, token: str):
    """The confirmed device that accepts ``token`` (a TOTP code or a backup code), or None.

    Each device is locked while it checks, so one code cannot be used twice at once; a
    failed attempt counts against every device's throttle and writes a
    "second_factor_failed" audit entry (without the code).
    """
    token = (token or "").strip().replace(" ", "")
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                return device
    record_account_event(user, actor=user, event=Event.SECOND_FACTOR_FAILED)
    return None


def give_demo_totp(*, user, secret_base32: str) -> TOTPDevice:
    """A confirmed authenticator with a known secret: seed_demo's, for scripts (demo only)."""
    key = base64.b32decode(secret_base32.upper() + "=" * (-len(secret_base32) % 8)).hex()
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key, confirmed=True)
